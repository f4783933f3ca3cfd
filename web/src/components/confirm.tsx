// The confirmation a destructive action asks for (terminate, suspend, blacklist, close a
// unit, disable an account): a modal dialog (<dialog>, so focus stays in it and Escape
// cancels) that says what will happen and, when the API can carry one, asks for a reason —
// one of the action's reasons (stored as its code, shown translated: reason.* in the i18n
// tables) or typed — and, for a reason that needs it, a detail chosen from a list (the
// operator a number is ported to).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { SelectField, TextField } from './form';

/** The reasons each action offers, most frequent first; codes, translated by tv('reason', …). */
export const REASONS = {
  terminate: ['relocation', 'ported out', 'price', 'coverage', 'service', 'deceased', 'duplicate account'],
  suspend: ['arrears', 'lost or stolen', 'customer request', 'suspected fraud'],
  blacklist: ['fraudulent subscription with a stolen ID card', 'false identity', 'malicious arrears', 'nuisance calls', 'suspected fraud'],
};

/** The operators a number can be ported to (the churn record's portedToOperator). */
export const OPERATORS = ['China Mobile', 'China Unicom', 'China Telecom', 'China Broadnet'];

const OTHER = '\u0000other';

export interface Detail {
  /** the reason that asks for it */
  when: string;
  label: string;
  options: { value: string; label: string }[];
}

export interface ConfirmProps {
  id: string;
  title: string;
  text: string;
  confirmLabel: string;
  /** the action's reasons: a reason is then required */
  reasons?: string[];
  detail?: Detail;
  busy?: boolean;
  /** the outcome of a failed attempt, shown in the dialog */
  error?: string;
  onConfirm: (reason: string, detail: string) => void;
  onCancel: () => void;
}

export function ConfirmDialog(p: ConfirmProps) {
  const { t, tv } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState('');
  const [typed, setTyped] = useState('');
  const [detail, setDetail] = useState(p.detail?.options[0]?.value || '');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) d.showModal();
    const cancel = (e: Event) => {
      e.preventDefault();
      p.onCancel();
    };
    d.addEventListener('cancel', cancel);
    return () => {
      d.removeEventListener('cancel', cancel);
      if (d.open) d.close();
    };
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    if (p.busy) return;
    let reason = '';
    if (p.reasons) {
      reason = choice === OTHER ? typed.trim() : choice;
      if (!reason) {
        setProblem(t('reason.required'));
        ref.current?.querySelector<HTMLInputElement>(choice === OTHER ? `#${p.id}-typed` : 'input[type=radio]')?.focus();
        return;
      }
    }
    setProblem('');
    p.onConfirm(reason, p.detail && choice === p.detail.when ? detail : '');
  };

  const errorId = `${p.id}-problem`;
  const shown = problem || p.error;
  return (
    <dialog ref={ref} id={p.id} class="confirm-dialog" aria-labelledby={`${p.id}-title`} aria-describedby={`${p.id}-text`}>
      <form onSubmit={submit} noValidate>
        <h2 id={`${p.id}-title`}>{p.title}</h2>
        <p id={`${p.id}-text`}>{p.text}</p>
        {p.reasons && (
          <fieldset class={problem ? 'reasons invalid' : 'reasons'} aria-describedby={problem ? errorId : undefined}>
            <legend>
              {t('reason.label')}
              <span class="req" aria-hidden="true"> *</span>
            </legend>
            {[...p.reasons, OTHER].map((r) => (
              <label key={r} class="radio">
                <input
                  type="radio"
                  name={`${p.id}-reason`}
                  value={r === OTHER ? 'other' : r}
                  checked={choice === r}
                  onChange={() => {
                    setChoice(r);
                    setProblem('');
                  }}
                />
                {r === OTHER ? t('reason.other') : tv('reason', r)}
              </label>
            ))}
            {choice === OTHER && (
              <div class="field">
                <label for={`${p.id}-typed`}>{t('reason.otherText')}</label>
                <input
                  id={`${p.id}-typed`}
                  value={typed}
                  maxLength={200}
                  autoFocus
                  onInput={(e) => {
                    setTyped((e.currentTarget as HTMLInputElement).value);
                    setProblem('');
                  }}
                />
              </div>
            )}
            {p.detail && choice === p.detail.when && (
              <div class="field">
                <label for={`${p.id}-detail`}>{p.detail.label}</label>
                <select id={`${p.id}-detail`} value={detail} onChange={(e) => setDetail((e.currentTarget as HTMLSelectElement).value)}>
                  {p.detail.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </fieldset>
        )}
        {shown && (
          <p class="error" id={errorId} role="alert">
            {shown}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="danger" disabled={p.busy}>
            {p.confirmLabel}
          </button>
          <button type="button" onClick={p.onCancel} autoFocus={!p.reasons}>
            {t('confirm.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A reason in a form: one of the action's reasons (a select), or another one typed. The
 * value is the reason's code, or the text typed. */
export function ReasonField(p: {
  id: string;
  label: string;
  reasons: string[];
  value: string;
  onValue: (v: string) => void;
  error?: string;
  required?: boolean;
}) {
  const { t, tv } = useI18n();
  const listed = p.reasons.includes(p.value);
  const [typing, setTyping] = useState(!listed && !!p.value);
  const other = typing && !listed;
  return (
    <>
      <SelectField
        id={p.id}
        label={p.label}
        required={p.required}
        value={listed ? p.value : other ? 'other' : ''}
        error={other ? undefined : p.error}
        options={[
          { value: '', label: t('new.choose') },
          ...p.reasons.map((r) => ({ value: r, label: tv('reason', r) })),
          { value: 'other', label: t('reason.other') },
        ]}
        onValue={(v) => {
          setTyping(v === 'other');
          p.onValue(v === 'other' ? '' : v);
          if (v === 'other') window.setTimeout(() => document.getElementById(`${p.id}-text`)?.focus(), 0);
        }}
      />
      {other && <TextField id={`${p.id}-text`} label={t('reason.otherText')} required value={p.value} onValue={p.onValue} error={p.error} maxLength={200} />}
    </>
  );
}
