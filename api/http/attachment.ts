/**
 * A Content-Disposition header for a download whose name may hold Cyrillic (an act's number):
 * an ASCII fallback, and the real name encoded per RFC 6266 / 8187 (HTTP headers carry no raw
 * non-ASCII characters).
 */
export function attachment(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
