// Form controls with their label and error message tied together (aria-describedby,
// aria-invalid), so each error sits next to its field and is read with it.
import type { ComponentChildren } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  error?: string;
  required?: boolean;
  hint?: string;
  children?: ComponentChildren;
}

export function FieldShell({ id, label, error, required, hint, children }: FieldProps) {
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      {children}
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: string) {
  const ids = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

type InputProps = FieldProps & {
  value: string;
  onValue: (v: string) => void;
  type?: string;
  autoComplete?: string;
  inputMode?: string;
  maxLength?: number;
  autoFocus?: boolean;
  onBlur?: () => void;
};

export function TextField(p: InputProps) {
  return (
    <FieldShell {...p}>
      <input
        id={p.id}
        name={p.id}
        type={(p.type || 'text') as 'text'}
        value={p.value}
        required={p.required}
        autoComplete={p.autoComplete || 'off'}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
        autoFocus={p.autoFocus}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy(p.id, p.error, p.hint)}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
        onBlur={p.onBlur}
      />
    </FieldShell>
  );
}

type SelectProps = FieldProps & {
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
};

export function SelectField(p: SelectProps) {
  return (
    <FieldShell {...p}>
      <select
        id={p.id}
        name={p.id}
        value={p.value}
        required={p.required}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy(p.id, p.error, p.hint)}
        onChange={(e) => p.onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckField(p: { id: string; label: string; checked: boolean; onValue: (v: boolean) => void; error?: string }) {
  return (
    <div class={p.error ? 'field check invalid' : 'field check'}>
      <input
        id={p.id}
        name={p.id}
        type="checkbox"
        checked={p.checked}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? `${p.id}-error` : undefined}
        onChange={(e) => p.onValue((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={p.id}>{p.label}</label>
      {p.error && (
        <span class="error" id={`${p.id}-error`}>
          {p.error}
        </span>
      )}
    </div>
  );
}

/** Messages for the whole form (errors without a field, conflicts, success). */
export function Alert({ kind, children }: { kind: 'error' | 'ok' | 'info' | 'warn'; children: ComponentChildren }) {
  return (
    <div class={`alert ${kind}`} role={kind === 'error' || kind === 'warn' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
