import { ServiceProto } from 'tsrpc-proto';
import { ReqCookieClear, ResCookieClear } from './PtlCookieClear';
import { ReqCookieGetAll, ResCookieGetAll } from './PtlCookieGetAll';
import { ReqCookieSet, ResCookieSet } from './PtlCookieSet';
import { ReqPing, ResPing } from './PtlPing';
import { ReqSessionAppend, ResSessionAppend } from './PtlSessionAppend';
import { ReqSessionClear, ResSessionClear } from './PtlSessionClear';
import { ReqSessionDestroy, ResSessionDestroy } from './PtlSessionDestroy';
import { ReqSessionGet, ResSessionGet } from './PtlSessionGet';
import { ReqSessionGetAll, ResSessionGetAll } from './PtlSessionGetAll';
import { ReqSessionRegenerate, ResSessionRegenerate } from './PtlSessionRegenerate';
import { ReqSessionSet, ResSessionSet } from './PtlSessionSet';
import { ReqSessionTouch, ResSessionTouch } from './PtlSessionTouch';
import { ReqSessionUnset, ResSessionUnset } from './PtlSessionUnset';

export interface ServiceType {
    api: {
        "CookieClear": {
            req: ReqCookieClear,
            res: ResCookieClear
        },
        "CookieGetAll": {
            req: ReqCookieGetAll,
            res: ResCookieGetAll
        },
        "CookieSet": {
            req: ReqCookieSet,
            res: ResCookieSet
        },
        "Ping": {
            req: ReqPing,
            res: ResPing
        },
        "SessionAppend": {
            req: ReqSessionAppend,
            res: ResSessionAppend
        },
        "SessionClear": {
            req: ReqSessionClear,
            res: ResSessionClear
        },
        "SessionDestroy": {
            req: ReqSessionDestroy,
            res: ResSessionDestroy
        },
        "SessionGet": {
            req: ReqSessionGet,
            res: ResSessionGet
        },
        "SessionGetAll": {
            req: ReqSessionGetAll,
            res: ResSessionGetAll
        },
        "SessionRegenerate": {
            req: ReqSessionRegenerate,
            res: ResSessionRegenerate
        },
        "SessionSet": {
            req: ReqSessionSet,
            res: ResSessionSet
        },
        "SessionTouch": {
            req: ReqSessionTouch,
            res: ResSessionTouch
        },
        "SessionUnset": {
            req: ReqSessionUnset,
            res: ResSessionUnset
        }
    },
    msg: {

    }
}

export const serviceProto: ServiceProto<ServiceType> = {
    "version": 1,
    "services": [
        {
            "id": 0,
            "name": "CookieClear",
            "type": "api",
            "conf": {}
        },
        {
            "id": 1,
            "name": "CookieGetAll",
            "type": "api",
            "conf": {}
        },
        {
            "id": 2,
            "name": "CookieSet",
            "type": "api",
            "conf": {}
        },
        {
            "id": 3,
            "name": "Ping",
            "type": "api",
            "conf": {}
        },
        {
            "id": 4,
            "name": "SessionAppend",
            "type": "api",
            "conf": {}
        },
        {
            "id": 5,
            "name": "SessionClear",
            "type": "api",
            "conf": {}
        },
        {
            "id": 6,
            "name": "SessionDestroy",
            "type": "api",
            "conf": {}
        },
        {
            "id": 7,
            "name": "SessionGet",
            "type": "api",
            "conf": {}
        },
        {
            "id": 8,
            "name": "SessionGetAll",
            "type": "api",
            "conf": {}
        },
        {
            "id": 9,
            "name": "SessionRegenerate",
            "type": "api",
            "conf": {}
        },
        {
            "id": 10,
            "name": "SessionSet",
            "type": "api",
            "conf": {}
        },
        {
            "id": 11,
            "name": "SessionTouch",
            "type": "api",
            "conf": {}
        },
        {
            "id": 12,
            "name": "SessionUnset",
            "type": "api",
            "conf": {}
        }
    ],
    "types": {
        "PtlCookieClear/ReqCookieClear": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "name",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "../../shared/protocols/base/BaseRequest": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "__cookie",
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/CookieValues"
                    },
                    "optional": true
                }
            ]
        },
        "../../shared/protocols/base/CookieValues": {
            "type": "Interface",
            "indexSignature": {
                "keyType": "String",
                "type": {
                    "type": "String"
                }
            }
        },
        "PtlCookieClear/ResCookieClear": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        },
        "../../shared/protocols/base/BaseResponse": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "__cookie",
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/CookieUpdates"
                    },
                    "optional": true
                },
                {
                    "id": 1,
                    "name": "__sessionTicket",
                    "type": {
                        "type": "String"
                    },
                    "optional": true
                }
            ]
        },
        "../../shared/protocols/base/CookieUpdates": {
            "type": "Interface",
            "indexSignature": {
                "keyType": "String",
                "type": {
                    "type": "Reference",
                    "target": "../../shared/protocols/base/CookieUpdate"
                }
            }
        },
        "../../shared/protocols/base/CookieUpdate": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "value",
                    "type": {
                        "type": "Union",
                        "members": [
                            {
                                "id": 0,
                                "type": {
                                    "type": "String"
                                }
                            },
                            {
                                "id": 1,
                                "type": {
                                    "type": "Literal",
                                    "literal": null
                                }
                            }
                        ]
                    }
                },
                {
                    "id": 1,
                    "name": "maxAgeMs",
                    "type": {
                        "type": "Number"
                    },
                    "optional": true
                }
            ]
        },
        "PtlCookieGetAll/ReqCookieGetAll": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ]
        },
        "PtlCookieGetAll/ResCookieGetAll": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "cookies",
                    "type": {
                        "type": "Interface",
                        "indexSignature": {
                            "keyType": "String",
                            "type": {
                                "type": "String"
                            }
                        }
                    }
                }
            ]
        },
        "PtlCookieSet/ReqCookieSet": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "name",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "value",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 2,
                    "name": "maxAgeMs",
                    "type": {
                        "type": "Number"
                    },
                    "optional": true
                }
            ]
        },
        "PtlCookieSet/ResCookieSet": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        },
        "PtlPing/ReqPing": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ]
        },
        "PtlPing/ResPing": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        },
        "PtlSessionAppend/ReqSessionAppend": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "key",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "item",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlSessionAppend/ResSessionAppend": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "list",
                    "type": {
                        "type": "Array",
                        "elementType": {
                            "type": "String"
                        }
                    }
                }
            ]
        },
        "PtlSessionClear/ReqSessionClear": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ]
        },
        "PtlSessionClear/ResSessionClear": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        },
        "PtlSessionDestroy/ReqSessionDestroy": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ]
        },
        "PtlSessionDestroy/ResSessionDestroy": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        },
        "PtlSessionGet/ReqSessionGet": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "key",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlSessionGet/ResSessionGet": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "value",
                    "type": {
                        "type": "Any"
                    },
                    "optional": true
                }
            ]
        },
        "PtlSessionGetAll/ReqSessionGetAll": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ]
        },
        "PtlSessionGetAll/ResSessionGetAll": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "id",
                    "type": {
                        "type": "String"
                    },
                    "optional": true
                },
                {
                    "id": 1,
                    "name": "data",
                    "type": {
                        "type": "Interface",
                        "indexSignature": {
                            "keyType": "String",
                            "type": {
                                "type": "Any"
                            }
                        }
                    }
                }
            ]
        },
        "PtlSessionRegenerate/ReqSessionRegenerate": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "keepData",
                    "type": {
                        "type": "Boolean"
                    },
                    "optional": true
                }
            ]
        },
        "PtlSessionRegenerate/ResSessionRegenerate": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "id",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlSessionSet/ReqSessionSet": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "key",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "value",
                    "type": {
                        "type": "Any"
                    }
                },
                {
                    "id": 2,
                    "name": "fail",
                    "type": {
                        "type": "Boolean"
                    },
                    "optional": true
                }
            ]
        },
        "PtlSessionSet/ResSessionSet": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        },
        "PtlSessionTouch/ReqSessionTouch": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ]
        },
        "PtlSessionTouch/ResSessionTouch": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "exists",
                    "type": {
                        "type": "Boolean"
                    }
                }
            ]
        },
        "PtlSessionUnset/ReqSessionUnset": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "key",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlSessionUnset/ResSessionUnset": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "../../shared/protocols/base/BaseResponse"
                    }
                }
            ]
        }
    }
};