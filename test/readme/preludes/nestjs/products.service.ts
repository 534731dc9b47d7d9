// The service the Nest README's quick start leaves to the reader ("not shown").
import { Injectable } from '@nestjs/common';

export interface UpdateProduct {
  price: number;
}

@Injectable()
export class ProductsService {
  readonly #products = new Map([['1', { id: '1', name: 'Widget', price: 12 }]]);

  list() {
    return [...this.#products.values()];
  }

  get(id: string) {
    return this.#products.get(id);
  }

  update(id: string, body: UpdateProduct) {
    const product = { id, name: this.#products.get(id)?.name ?? id, price: Number(body.price) };
    this.#products.set(id, product);
    return product;
  }
}
