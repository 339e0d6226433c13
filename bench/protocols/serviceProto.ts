import { ServiceProto } from 'tsrpc-proto';
import { ReqCookieGet, ResCookieGet } from './PtlCookieGet';
import { ReqPing, ResPing } from './PtlPing';
import { ReqSessionEnd, ResSessionEnd } from './PtlSessionEnd';
import { ReqSessionRead, ResSessionRead } from './PtlSessionRead';
import { ReqSessionWrite, ResSessionWrite } from './PtlSessionWrite';
import { ReqSetup, ResSetup } from './PtlSetup';

export interface ServiceType {
    api: {
        "CookieGet": {
            req: ReqCookieGet,
            res: ResCookieGet
        },
        "Ping": {
            req: ReqPing,
            res: ResPing
        },
        "SessionEnd": {
            req: ReqSessionEnd,
            res: ResSessionEnd
        },
        "SessionRead": {
            req: ReqSessionRead,
            res: ResSessionRead
        },
        "SessionWrite": {
            req: ReqSessionWrite,
            res: ResSessionWrite
        },
        "Setup": {
            req: ReqSetup,
            res: ResSetup
        }
    },
    msg: {

    }
}

export const serviceProto: ServiceProto<ServiceType> = {
    "version": 2,
    "services": [
        {
            "id": 0,
            "name": "CookieGet",
            "type": "api",
            "conf": {}
        },
        {
            "id": 1,
            "name": "Ping",
            "type": "api",
            "conf": {}
        },
        {
            "id": 5,
            "name": "SessionEnd",
            "type": "api",
            "conf": {}
        },
        {
            "id": 2,
            "name": "SessionRead",
            "type": "api",
            "conf": {}
        },
        {
            "id": 3,
            "name": "SessionWrite",
            "type": "api",
            "conf": {}
        },
        {
            "id": 4,
            "name": "Setup",
            "type": "api",
            "conf": {}
        }
    ],
    "types": {
        "PtlCookieGet/ReqCookieGet": {
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
        "PtlCookieGet/ResCookieGet": {
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
                        "type": "String"
                    },
                    "optional": true
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
        "PtlSessionEnd/ReqSessionEnd": {
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
        "PtlSessionEnd/ResSessionEnd": {
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
        "PtlSessionRead/ReqSessionRead": {
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
        "PtlSessionRead/ResSessionRead": {
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
                        "type": "String"
                    },
                    "optional": true
                }
            ]
        },
        "PtlSessionWrite/ReqSessionWrite": {
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
                    "name": "value",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlSessionWrite/ResSessionWrite": {
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
        "PtlSetup/ReqSetup": {
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
                    "name": "value",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlSetup/ResSetup": {
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