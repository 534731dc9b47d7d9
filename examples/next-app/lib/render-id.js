// A value that differs on every render, so tests can tell a cached response from a fresh one.
export const renderId = () =>
  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
