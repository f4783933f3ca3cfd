// Status, blacklist and big-customer flags, and the status change: one button per status
// the lifecycle allows from here (nextStatuses), with a reason, sent as a PATCH with
// If-Match on the version the page shows.
import { useState } from 'preact/hooks';
import type { SectionProps } from './index';
import type { Customer, Flags } from '../types';
import { useI18n } from '../i18n';
import { api, ApiError, paths } from '../api';
import { can } from '../session';
import { errorText } from '../errors';
import { Alert } from '../components/form';
import { StatusBadge } from '../components/badges';

export function FlagsSection({ data, view, reload }: SectionProps<Flags>) {
  const i18n = useI18n();
  const { t, tv, date } = i18n;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const profile = view.sections.find((s) => s.name === 'profile')?.data as Customer | undefined;
  const writable = can('customer.write') && profile;

  const change = async (status: string) => {
    if (!profile) return;
    setBusy(true);
    setMsg(null);
    try {
      const body: Record<string, unknown> = { status };
      body.statusReason = reason.trim() ? reason.trim() : null;
      await api.patch(paths.customer(view.id), body, { ifMatch: profile.version });
      setReason('');
      await reload();
      setMsg({ kind: 'ok', text: t('flags.changed', { status: tv('status', status) }) });
      // the button pressed may be gone now: keep the keyboard user at the outcome
      window.setTimeout(() => document.getElementById('status-msg')?.focus(), 0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        await reload();
        setMsg({ kind: 'error', text: t('flags.conflict') });
      } else setMsg({ kind: 'error', text: errorText(i18n, e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="flags">
      <dl class="kv">
        <div>
          <dt>{t('flags.status')}</dt>
          <dd>
            <StatusBadge status={data.status} />
            {data.statusReason && <span class="muted"> · {data.statusReason}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('flags.blacklisted')}</dt>
          <dd>
            {data.blacklisted ? (
              <span class="danger-text">
                <strong>{data.blacklistReason}</strong>
                <br />
                <span class="small">{t('flags.blacklistedBy', { who: data.blacklistedBy || '?', date: date(data.blacklistedDate) })}</span>
              </span>
            ) : (
              <span class="muted">{t('flags.notBlacklisted')}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('flags.big')}</dt>
          <dd>{data.bigCustomerPotential ? t('common.yes') : t('common.no')}</dd>
        </div>
        {data.status === 'inactive' && (
          <div>
            <dt>{t('flags.churned')}</dt>
            <dd>{t('common.yes')}</dd>
          </div>
        )}
      </dl>
      {writable && (
        <fieldset class="status-change">
          <legend>{t('flags.changeStatus')}</legend>
          {data.nextStatuses.length === 0 ? (
            <p class="muted small">{t('flags.noNext')}</p>
          ) : (
            <>
              <div class="field">
                <label for="status-reason">{t('flags.statusReason')}</label>
                <input id="status-reason" value={reason} maxLength={200} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
              </div>
              <div class="buttons">
                {data.nextStatuses.map((s) => (
                  <button key={s} type="button" disabled={busy} onClick={() => change(s)} data-status={s}>
                    {t('flags.to', { status: tv('status', s) })}
                  </button>
                ))}
              </div>
            </>
          )}
          {msg && (
            <div id="status-msg" tabIndex={-1}>
              <Alert kind={msg.kind}>{msg.text}</Alert>
            </div>
          )}
        </fieldset>
      )}
    </div>
  );
}
