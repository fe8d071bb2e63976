/**
 * Plain data written as JavaScript a person reads: `{ op: 'addColumn', table: 'band', ... }`,
 * on one line when it fits, else one property or item per line.
 */
const WIDTH = 110;

export function sourceLiteral(value: unknown, indent = ''): string {
  const inline = inlineLiteral(value);
  if (indent.length + inline.length <= WIDTH || value === null || typeof value !== 'object') return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((item) => `${inner}${sourceLiteral(item, inner)},`).join('\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return `{\n${entries.map(([key, item]) => `${inner}${propertyKey(key)}: ${sourceLiteral(item, inner)},`).join('\n')}\n${indent}}`;
}

function inlineLiteral(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${inlineLiteral(item)}`).join(', ')} }`;
}

function stringLiteral(text: string): string {
  // Control characters and line breaks: JSON's escapes are valid JavaScript.
  if (/[\u0000-\u001f\u2028\u2029]/.test(text)) return JSON.stringify(text);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : stringLiteral(key);
}
