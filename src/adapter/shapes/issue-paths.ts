// GraphQL reports an invalid input with its own path (`input.extractedSlots`,
// `ttlSeconds`); callers must read it in the vocabulary they sent
// (`memory_data.extracted_slots`, `ttl_seconds`).

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * A translator from GraphQL input paths to the caller's, from a table of
 * GraphQL paths → param paths. The longest matching prefix is replaced and the
 * rest kept as it is (array indexes, and keys inside JSON objects, which are the
 * caller's own); a path the table does not know is snake-cased. Mapping a prefix
 * to '' flattens it: `{ input: '' }` makes `input.x` plain `x`.
 */
export function issuePaths(table: Readonly<Record<string, string>>): (graphqlPath: string) => string {
  return (graphqlPath) => {
    const segments = graphqlPath.split('.');
    for (let length = segments.length; length > 0; length--) {
      const prefix = segments.slice(0, length).join('.');
      if (Object.hasOwn(table, prefix)) return [table[prefix], ...segments.slice(length)].filter(Boolean).join('.') || '(root)';
    }
    return segments.map(snakeCase).join('.');
  };
}
