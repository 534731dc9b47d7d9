import { Cacheable, MomentoCacheService } from '@momento-http/nestjs';
import { Injectable, NotFoundException } from '@nestjs/common';

export interface Product {
  id: number;
  name: string;
  price: number;
}

const slow = () => new Promise((resolve) => setTimeout(resolve, 150));

/** Stands in for a database: every read takes 150 ms, so cache hits are easy to see. */
@Injectable()
export class ProductsService {
  private readonly products = new Map<number, Product>([
    [1, { id: 1, name: 'Espresso', price: 2.5 }],
    [2, { id: 2, name: 'Flat white', price: 3.8 }],
    [3, { id: 3, name: 'Cortado', price: 3.2 }],
  ]);

  constructor(private readonly cache: MomentoCacheService) {}

  async list(): Promise<Product[]> {
    await slow();
    return [...this.products.values()];
  }

  async get(id: number): Promise<Product> {
    await slow();
    const product = this.products.get(id);
    if (!product) throw new NotFoundException(`no product ${id}`);
    return product;
  }

  async setPrice(id: number, price: number): Promise<Product> {
    const product = await this.get(id);
    product.price = price;
    return product;
  }

  /**
   * Method caching (no route interceptor involved): the result is stored under `summary:<id>`
   * with the product's tags, so the price route's `@CacheEvict` invalidates it as well.
   */
  @Cacheable({
    key: (id: number) => `summary:${id}`,
    ttl: 60_000,
    tags: (id: number) => ['products', `product:${id}`],
  })
  async summary(id: number): Promise<{ id: number; line: string; computedAt: string }> {
    const product = await this.get(id);
    const line = `${product.name}: ${product.price.toFixed(2)}`;
    return { id, line, computedAt: new Date().toISOString() };
  }

  /** A computed value cached for code, not for a route: concurrent callers share one computation. */
  stats(): Promise<{ products: number; averagePrice: number; computedAt: string }> {
    return this.cache.wrap(
      'stats',
      async () => {
        const all = await this.list();
        const averagePrice = all.reduce((sum, p) => sum + p.price, 0) / all.length;
        return { products: all.length, averagePrice, computedAt: new Date().toISOString() };
      },
      10_000,
    );
  }
}
