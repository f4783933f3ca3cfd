import { useEffect } from 'preact/hooks';

/** Sets the document title while the page is shown. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · telcrm` : 'telcrm';
  }, [title]);
}
