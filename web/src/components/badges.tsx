import { useI18n } from '../i18n';

const tone: Record<string, string> = {
  active: 'ok',
  prospective: 'info',
  suspended: 'warn',
  inactive: 'off',
};

export function StatusBadge({ status }: { status: string }) {
  const { tv } = useI18n();
  return <span class={`badge ${tone[status] || 'info'}`}>{tv('status', status)}</span>;
}

export function RankBadge({ rank }: { rank?: string }) {
  const { tv } = useI18n();
  if (!rank) return null;
  return <span class={`badge rank rank-${rank}`}>{tv('rank', rank)}</span>;
}
