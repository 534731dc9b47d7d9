let counter = 0;

/** A fresh namespace per app or test, so tests sharing the server never see each other's keys. */
export const uniqueNamespace = (): string => `t${process.pid}-${++counter}-${Date.now()}`;
