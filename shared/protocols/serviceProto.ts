import { ServiceProto } from 'tsrpc-proto';
import { ReqAddToCart, ResAddToCart } from './PtlAddToCart';
import { ReqGetCart, ResGetCart } from './PtlGetCart';
import { ReqGetMe, ResGetMe } from './PtlGetMe';
import { ReqListDevices, ResListDevices } from './PtlListDevices';
import { ReqLogin, ResLogin } from './PtlLogin';
import { ReqLogout, ResLogout } from './PtlLogout';
import { ReqLogoutOthers, ResLogoutOthers } from './PtlLogoutOthers';
import { ReqRevokeDevice, ResRevokeDevice } from './PtlRevokeDevice';

export interface ServiceType {
    api: {
        "AddToCart": {
            req: ReqAddToCart,
            res: ResAddToCart
        },
        "GetCart": {
            req: ReqGetCart,
            res: ResGetCart
        },
        "GetMe": {
            req: ReqGetMe,
            res: ResGetMe
        },
        "ListDevices": {
            req: ReqListDevices,
            res: ResListDevices
        },
        "Login": {
            req: ReqLogin,
            res: ResLogin
        },
        "Logout": {
            req: ReqLogout,
            res: ResLogout
        },
        "LogoutOthers": {
            req: ReqLogoutOthers,
            res: ResLogoutOthers
        },
        "RevokeDevice": {
            req: ReqRevokeDevice,
            res: ResRevokeDevice
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
            "name": "AddToCart",
            "type": "api",
            "conf": {}
        },
        {
            "id": 1,
            "name": "GetCart",
            "type": "api",
            "conf": {}
        },
        {
            "id": 2,
            "name": "GetMe",
            "type": "api",
            "conf": {}
        },
        {
            "id": 5,
            "name": "ListDevices",
            "type": "api",
            "conf": {}
        },
        {
            "id": 3,
            "name": "Login",
            "type": "api",
            "conf": {}
        },
        {
            "id": 4,
            "name": "Logout",
            "type": "api",
            "conf": {}
        },
        {
            "id": 6,
            "name": "LogoutOthers",
            "type": "api",
            "conf": {}
        },
        {
            "id": 7,
            "name": "RevokeDevice",
            "type": "api",
            "conf": {}
        }
    ],
    "types": {
        "PtlAddToCart/ReqAddToCart": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "item",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "quantity",
                    "type": {
                        "type": "Number"
                    }
                }
            ]
        },
        "base/BaseRequest": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "__cookie",
                    "type": {
                        "type": "Reference",
                        "target": "base/CookieValues"
                    },
                    "optional": true
                }
            ]
        },
        "base/CookieValues": {
            "type": "Interface",
            "indexSignature": {
                "keyType": "String",
                "type": {
                    "type": "String"
                }
            }
        },
        "PtlAddToCart/ResAddToCart": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "cart",
                    "type": {
                        "type": "Array",
                        "elementType": {
                            "type": "Reference",
                            "target": "models/CartLine/CartLine"
                        }
                    }
                }
            ]
        },
        "base/BaseResponse": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "__cookie",
                    "type": {
                        "type": "Reference",
                        "target": "base/CookieUpdates"
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
        "base/CookieUpdates": {
            "type": "Interface",
            "indexSignature": {
                "keyType": "String",
                "type": {
                    "type": "Reference",
                    "target": "base/CookieUpdate"
                }
            }
        },
        "base/CookieUpdate": {
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
        "models/CartLine/CartLine": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "item",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "quantity",
                    "type": {
                        "type": "Number"
                    }
                }
            ]
        },
        "PtlGetCart/ReqGetCart": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ]
        },
        "PtlGetCart/ResGetCart": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "cart",
                    "type": {
                        "type": "Array",
                        "elementType": {
                            "type": "Reference",
                            "target": "models/CartLine/CartLine"
                        }
                    }
                }
            ]
        },
        "PtlGetMe/ReqGetMe": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ]
        },
        "PtlGetMe/ResGetMe": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "user",
                    "type": {
                        "type": "Reference",
                        "target": "models/PublicUser/PublicUser"
                    },
                    "optional": true
                }
            ]
        },
        "models/PublicUser/PublicUser": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "id",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "name",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlListDevices/ReqListDevices": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ]
        },
        "PtlListDevices/ResListDevices": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "devices",
                    "type": {
                        "type": "Array",
                        "elementType": {
                            "type": "Reference",
                            "target": "models/Device/Device"
                        }
                    }
                }
            ]
        },
        "models/Device/Device": {
            "type": "Interface",
            "properties": [
                {
                    "id": 0,
                    "name": "id",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "current",
                    "type": {
                        "type": "Boolean"
                    }
                },
                {
                    "id": 2,
                    "name": "createdAt",
                    "type": {
                        "type": "Number"
                    }
                },
                {
                    "id": 3,
                    "name": "lastSeenAt",
                    "type": {
                        "type": "Number"
                    }
                },
                {
                    "id": 4,
                    "name": "label",
                    "type": {
                        "type": "String"
                    },
                    "optional": true
                }
            ]
        },
        "PtlLogin/ReqLogin": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "username",
                    "type": {
                        "type": "String"
                    }
                },
                {
                    "id": 1,
                    "name": "password",
                    "type": {
                        "type": "String"
                    }
                }
            ]
        },
        "PtlLogin/ResLogin": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ],
            "properties": [
                {
                    "id": 0,
                    "name": "user",
                    "type": {
                        "type": "Reference",
                        "target": "models/PublicUser/PublicUser"
                    }
                }
            ]
        },
        "PtlLogout/ReqLogout": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ]
        },
        "PtlLogout/ResLogout": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ]
        },
        "PtlLogoutOthers/ReqLogoutOthers": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
                    }
                }
            ]
        },
        "PtlLogoutOthers/ResLogoutOthers": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ]
        },
        "PtlRevokeDevice/ReqRevokeDevice": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseRequest"
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
        "PtlRevokeDevice/ResRevokeDevice": {
            "type": "Interface",
            "extends": [
                {
                    "id": 0,
                    "type": {
                        "type": "Reference",
                        "target": "base/BaseResponse"
                    }
                }
            ]
        }
    }
};