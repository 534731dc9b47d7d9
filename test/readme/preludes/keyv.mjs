// Placeholders the Keyv README's samples leave to the reader's app.
globalThis.metrics = {
  increment(name, tags) {
    console.error(`metrics.increment ${name} ${JSON.stringify(tags)}`);
  },
};
globalThis.db = { users: { find: async (id) => ({ id, name: 'Ada' }) } };
