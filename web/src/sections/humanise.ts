// Names of things the UI has no text for, made readable: 'recentBills' → 'Recent bills'.
export function humanise(name: string): string {
  const s = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
