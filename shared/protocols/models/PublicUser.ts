export interface PublicUser {
    id: string;
    name: string;
}
