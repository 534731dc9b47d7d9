let counter = 0;
/** A namespace no other test uses. */
export const uniqueNamespace = (label = 'ns'): string =>
  `${label}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
