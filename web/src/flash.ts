// A one-time message carried to the next page ("Changes saved."), shown once and dropped.
let pending: string | null = null;

export function setFlash(text: string) {
  pending = text;
}

export function takeFlash(): string | null {
  const t = pending;
  pending = null;
  return t;
}
