// Status, blacklist and big-customer flags, and the status change: one button per status
// the lifecycle allows from here (nextStatuses), sent as a PATCH with If-Match on the
// version the page shows. Activating takes an optional reason; suspending and terminating
// are destructive: each asks, in a dialog, for a reason from its list (or typed) and a
// confirmation, and the reason goes with the change (statusReason). A termination also
// records the churn (churnDate today, the reason, and the operator a ported number went
// to), so that the churn section and the status tell the same story. A customer the user
// may read but not change offers no status change; a 403 the server answers anyway is
// shown with its message.
import { useState } from 'preact/hooks';
import type { SectionProps } from './index';
import type { Customer, Flags } from '../types';
import { useI18n } from '../i18n';
import { api, ApiError, paths } from '../api';
import { can } from '../session';
import { errorText } from '../errors';
import { Alert } from '../components/form';
import { StatusBadge } from '../components/badges';
import { ConfirmDialog, OPERATORS, REASONS } from '../components/confirm';

/** the status changes that take something away from the customer */
const DESTRUCTIVE: Record<string, 'suspend' | 'terminate'> = { suspended: 'suspend', inactive: 'terminate' };

/** Today as YYYY-MM-DD in the user's time zone (a churn date is a calendar day). */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function FlagsSection({ data, view, reload, writable: reachable }: SectionProps<Flags>) {
  const i18n = useI18n();
  const { t, tv, date } = i18n;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState('');
  const profile = view.sections.find((s) => s.name === 'profile')?.data as Customer | undefined;
  // a customer of a unit the user's customer.write does not reach offers no status change
  const writable = can('customer.write') && reachable && profile;

  /** true when the change was made (or the page reloaded after a conflict) */
  const change = async (status: string, body: Record<string, unknown>, inDialog: boolean) => {
    if (!profile) return;
    setBusy(true);
    setMsg(null);
    setDialogError('');
    try {
      await api.patch(paths.customer(view.id), { status, ...body }, { ifMatch: profile.version });
      setReason('');
      setAsking(null);
      await reload();
      setMsg({ kind: 'ok', text: t('flags.changed', { status: tv('status', status) }) });
      // the button pressed may be gone now: keep the keyboard user at the outcome
      window.setTimeout(() => document.getElementById('status-msg')?.focus(), 0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setAsking(null);
        await reload();
        setMsg({ kind: 'error', text: t('flags.conflict') });
      } else if (inDialog) setDialogError(errorText(i18n, e));
      else setMsg({ kind: 'error', text: errorText(i18n, e) });
    } finally {
      setBusy(false);
    }
  };

  const plain = data.nextStatuses.filter((s) => !DESTRUCTIVE[s]);
  const destructive = data.nextStatuses.filter((s) => DESTRUCTIVE[s]);
  const action = asking ? DESTRUCTIVE[asking] : null;

  return (
    <div class="flags">
      <dl class="kv">
        <div>
          <dt>{t('flags.status')}</dt>
          <dd>
            <StatusBadge status={data.status} />
            {data.statusReason && <span class="muted status-reason"> · {tv('reason', data.statusReason)}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('flags.blacklisted')}</dt>
          <dd>
            {data.blacklisted ? (
              <span class="danger-text">
                <strong>{tv('reason', data.blacklistReason)}</strong>
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
              {plain.length > 0 && (
                <div class="field">
                  <label for="status-reason">{t('flags.statusReason')}</label>
                  <input id="status-reason" value={reason} maxLength={200} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
                </div>
              )}
              <div class="buttons">
                {plain.map((s) => (
                  <button key={s} type="button" disabled={busy} onClick={() => change(s, { statusReason: reason.trim() || null }, false)} data-status={s}>
                    {t('flags.to', { status: tv('status', s) })}
                  </button>
                ))}
                {destructive.map((s) => (
                  <button
                    key={s}
                    type="button"
                    class="danger-outline"
                    disabled={busy}
                    aria-haspopup="dialog"
                    onClick={() => {
                      setDialogError('');
                      setAsking(s);
                    }}
                    data-status={s}
                  >
                    {t(DESTRUCTIVE[s] === 'terminate' ? 'flags.terminate' : 'flags.suspend')}
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
      {asking && action && (
        <ConfirmDialog
          id={`${action}-dialog`}
          title={t(action === 'terminate' ? 'flags.terminate.title' : 'flags.suspend.title', { name: view.name })}
          text={t(action === 'terminate' ? 'flags.terminate.text' : 'flags.suspend.text')}
          confirmLabel={t(action === 'terminate' ? 'flags.terminate.yes' : 'flags.suspend.yes')}
          reasons={REASONS[action]}
          detail={
            action === 'terminate'
              ? { when: 'ported out', label: t('flags.portedTo'), options: OPERATORS.map((o) => ({ value: o, label: tv('operator', o) })) }
              : undefined
          }
          busy={busy}
          error={dialogError}
          onCancel={() => {
            setAsking(null);
            window.setTimeout(() => document.querySelector<HTMLElement>(`.status-change button[data-status="${asking}"]`)?.focus(), 0);
          }}
          onConfirm={(why, operator) => {
            const body: Record<string, unknown> = { statusReason: why };
            if (action === 'terminate') body.churn = { churnDate: today(), reason: why, ...(operator ? { portedToOperator: operator } : {}) };
            void change(asking, body, true);
          }}
        />
      )}
    </div>
  );
}
