// Placeholders the Express README's sample leaves to the reader's app.
import './listen-on-any-port.mjs';

const products = [{ id: 1, name: 'Widget', price: 12 }];
globalThis.listProducts = () => products;
globalThis.addProduct = async (product) => {
  products.push(product);
};
