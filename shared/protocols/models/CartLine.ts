export interface CartLine {
    item: string;
    quantity: number;
}
