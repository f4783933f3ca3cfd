// /admin/org — the organisation tree (GET /api/v1/org-units: HQ → provinces → cities →
// halls and teams) as an ARIA tree view with the keyboard of the WAI-ARIA pattern (↑ ↓
// move, → opens or goes to the first child, ← closes or goes to the parent, Home/End,
// Enter/Space select; one tab stop). The selected unit can be renamed, closed (after a
// confirmation) or reopened (PATCH with If-Match), and a unit created under it (POST: id code, name, kind — only the
// kinds the server allows under its kind).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { ConfirmDialog } from '../components/confirm';
import { Alert, SelectField, TextField } from '../components/form';
import { useTitle } from '../components/title';
import { adminPaths, BackLink, formError, useList, type Unit } from './adminShared';
import { NotLoaded } from './notFound';

/** What may sit under each kind (docs/api.md, org units). */
const CHILD_KINDS: Record<string, string[]> = { hq: ['province'], province: ['city'], city: ['hall', 'team'], hall: ['team'], team: [] };
const UNIT_ID = /^[A-Z0-9][A-Z0-9-]*$/;

interface Tree {
  roots: Unit[];
  children: Map<string, Unit[]>;
  byId: Map<string, Unit>;
}

function buildTree(units: Unit[]): Tree {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const u of units) {
    if (u.parentId && byId.has(u.parentId)) {
      const list = children.get(u.parentId) || [];
      list.push(u);
      children.set(u.parentId, list);
    } else roots.push(u);
  }
  return { roots, children, byId };
}

export function AdminOrg() {
  const i18n = useI18n();
  const { t, tv } = i18n;
  useTitle(t('admin.org'));
  const list = useList<Unit>(adminPaths.units);
  const tree = useMemo(() => buildTree(list.items || []), [list.items]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string>('');
  const [focused, setFocused] = useState<string>('');
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const kindLabel = (k: string) => tv('admin.org.kind', k);

  // at first: the roots open, the first root the tab stop
  useEffect(() => {
    if (!list.items || focused) return;
    setExpanded(new Set(tree.roots.map((r) => r.id)));
    if (tree.roots[0]) setFocused(tree.roots[0].id);
  }, [list.items]);

  /** The visible units, in order (for ↑ ↓ Home End). */
  const visible = useMemo(() => {
    const out: Unit[] = [];
    const walk = (us: Unit[]) => {
      for (const u of us) {
        out.push(u);
        if (expanded.has(u.id)) walk(tree.children.get(u.id) || []);
      }
    };
    walk(tree.roots);
    return out;
  }, [tree, expanded]);

  const setOpen = (id: string, open: boolean) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (open) n.add(id);
      else n.delete(id);
      return n;
    });
  // the target of a move is always rendered already (a visible unit): focus it at once
  const moveTo = (id: string | undefined) => {
    if (!id) return;
    setFocused(id);
    document.getElementById(`ou-${id}`)?.focus();
  };
  const select = (id: string) => {
    setSelected(id);
    setFocused(id);
    setMsg(null);
  };

  const onKey = (e: KeyboardEvent, u: Unit) => {
    const i = visible.findIndex((v) => v.id === u.id);
    const kids = tree.children.get(u.id) || [];
    const open = expanded.has(u.id);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(visible[i + 1]?.id);
        break;
      case 'ArrowUp':
        moveTo(visible[i - 1]?.id);
        break;
      case 'ArrowRight':
        if (kids.length && !open) setOpen(u.id, true);
        else if (kids.length) moveTo(kids[0].id);
        break;
      case 'ArrowLeft':
        if (kids.length && open) setOpen(u.id, false);
        else if (u.parentId && tree.byId.has(u.parentId)) moveTo(u.parentId);
        break;
      case 'Home':
        moveTo(visible[0]?.id);
        break;
      case 'End':
        moveTo(visible[visible.length - 1]?.id);
        break;
      case 'Enter':
      case ' ':
        select(u.id);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const renderItem = (u: Unit, level: number, pos: number, size: number) => {
    const kids = tree.children.get(u.id) || [];
    const open = expanded.has(u.id);
    return (
      <li
        key={u.id}
        id={`ou-${u.id}`}
        role="treeitem"
        aria-level={level}
        aria-posinset={pos}
        aria-setsize={size}
        aria-expanded={kids.length ? open : undefined}
        aria-selected={selected === u.id}
        tabIndex={focused === u.id ? 0 : -1}
        data-unit={u.id}
        onKeyDown={(e) => e.currentTarget === e.target && onKey(e, u)}
        onClick={(e) => {
          e.stopPropagation();
          select(u.id);
        }}
        onFocus={(e) => e.currentTarget === e.target && focused !== u.id && setFocused(u.id)}
      >
        <span class={selected === u.id ? 'node selected' : 'node'}>
          <span
            class="twisty"
            aria-hidden="true"
            onClick={(e) => {
              e.stopPropagation();
              if (kids.length) setOpen(u.id, !open);
              setFocused(u.id);
            }}
          >
            {kids.length ? (open ? '▾' : '▸') : ''}
          </span>
          <span class="unit-name">{u.name}</span> <span class="mono muted small">{u.id}</span>{' '}
          <span class="muted small">{kindLabel(u.kind)}</span>
          {u.status === 'closed' && <span class="badge off">{t('admin.org.status.closed')}</span>}
        </span>
        {kids.length > 0 && open && (
          <ul role="group">{kids.map((k, j) => renderItem(k, level + 1, j + 1, kids.length))}</ul>
        )}
      </li>
    );
  };

  const unit = selected ? tree.byId.get(selected) : undefined;

  const onChanged = (text: string, kind: 'ok' | 'error' = 'ok', select?: string, openId?: string) => {
    setMsg({ kind, text });
    if (openId) setOpen(openId, true);
    if (select) setSelected(select);
    list.reload();
  };

  return (
    <section class="page admin">
      <BackLink />
      <h1>{t('admin.org')}</h1>
      {list.error || !list.items ? (
        <NotLoaded error={list.error} />
      ) : (
        <div class="org-layout">
          <div class="card tree-card">
            <h2 id="org-tree-label">{t('admin.org.tree')}</h2>
            <p class="hint small muted" id="org-tree-hint">
              {t('admin.org.treeHint')}
            </p>
            <ul role="tree" class="tree" aria-labelledby="org-tree-label" aria-describedby="org-tree-hint">
              {tree.roots.map((r, j) => renderItem(r, 1, j + 1, tree.roots.length))}
            </ul>
          </div>
          <div class="org-detail">
            {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
            {!unit ? (
              <p class="card muted">{t('admin.org.select')}</p>
            ) : (
              <UnitPanel key={`${unit.id}-${unit.version}`} unit={unit} kindLabel={kindLabel} onChanged={onChanged} />
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function UnitPanel({ unit, kindLabel, onChanged }: { unit: Unit; kindLabel: (k: string) => string; onChanged: (text: string, kind?: 'ok' | 'error', select?: string, openId?: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [name, setName] = useState(unit.name);
  const [nameErr, setNameErr] = useState('');
  const [top, setTop] = useState('');
  const kinds = CHILD_KINDS[unit.kind] || [];
  const [nu, setNu] = useState({ id: `${unit.id}-`, name: '', kind: kinds[0] || '' });
  const [nuErr, setNuErr] = useState<Record<string, string>>({});
  const [nuTop, setNuTop] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);

  const patch = async (body: Record<string, unknown>, done: string) => {
    setTop('');
    setBusy(true);
    try {
      await api.patch(adminPaths.unit(unit.id), body, { ifMatch: unit.version });
      onChanged(done);
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.status === 412) {
        onChanged(errorText(i18n, e), 'error');
        return;
      }
      const fe = formError(i18n, e, ['name']);
      if (fe.field === 'name') setNameErr(fe.text);
      else setTop(fe.text);
    }
  };

  const rename = (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setNameErr(t('v.required'));
    if (name.trim() === unit.name) return;
    void patch({ name: name.trim() }, t('admin.org.renamed', { name: name.trim() }));
  };

  const create = async (e: Event) => {
    e.preventDefault();
    setNuTop('');
    const errs: Record<string, string> = {};
    const id = nu.id.trim();
    if (!id) errs.id = t('v.required');
    else if (!UNIT_ID.test(id)) errs.id = t('admin.v.unitId');
    if (!nu.name.trim()) errs.name = t('v.required');
    if (Object.keys(errs).length) {
      setNuErr(errs);
      document.getElementById(errs.id ? 'ou-new-id' : 'ou-new-name')?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.post(adminPaths.unitsBase, { id, name: nu.name.trim(), kind: nu.kind, parentId: unit.id });
      onChanged(t('admin.org.created', { name: nu.name.trim() }), 'ok', id, unit.id);
    } catch (x) {
      setBusy(false);
      const fe = formError(i18n, x, ['id', 'name', 'kind', 'parentId']);
      if (fe.field && fe.field !== 'parentId') {
        setNuErr({ [fe.field]: fe.text });
        document.getElementById(`ou-new-${fe.field}`)?.focus();
      } else setNuTop(fe.text);
    }
  };

  const closed = unit.status === 'closed';
  return (
    <div class="card unit-panel">
      <h2>
        {unit.name} <span class="mono muted small">{unit.id}</span>
      </h2>
      <dl class="kv">
        <div>
          <dt>{t('admin.org.kind')}</dt>
          <dd>{kindLabel(unit.kind)}</dd>
        </div>
        <div>
          <dt>{t('admin.org.status')}</dt>
          <dd>
            <span class={`badge ${closed ? 'off' : 'ok'}`}>{t(closed ? 'admin.org.status.closed' : 'admin.org.status.active')}</span>
          </dd>
        </div>
        <div>
          <dt>{t('admin.org.path')}</dt>
          <dd class="mono">{unit.path}</dd>
        </div>
      </dl>
      {top && <Alert kind="error">{top}</Alert>}
      <form class="form inline-form" onSubmit={rename} noValidate>
        <TextField
          id="ou-name"
          label={t('admin.org.name')}
          required
          value={name}
          onValue={(v) => {
            setName(v);
            setNameErr('');
          }}
          error={nameErr}
          maxLength={200}
        />
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {t('admin.org.rename')}
          </button>
          {unit.kind !== 'hq' && (
            <button
              type="button"
              id="ou-status"
              disabled={busy}
              aria-haspopup={closed ? undefined : 'dialog'}
              onClick={() => (closed ? patch({ status: 'active' }, t('admin.org.reopened', { name: unit.name })) : setConfirmClose(true))}
            >
              {closed ? t('admin.org.reopen') : t('admin.org.close')}
            </button>
          )}
        </div>
      </form>
      {confirmClose && (
        // the API takes no reason for closing a unit: a confirmation only
        <ConfirmDialog
          id="close-unit-dialog"
          title={t('admin.org.closeConfirm', { name: unit.name })}
          text={t('admin.org.closeText')}
          confirmLabel={t('admin.org.closeYes')}
          busy={busy}
          onCancel={() => {
            setConfirmClose(false);
            window.setTimeout(() => document.getElementById('ou-status')?.focus(), 0);
          }}
          onConfirm={() => {
            setConfirmClose(false);
            void patch({ status: 'closed' }, t('admin.org.closed', { name: unit.name }));
          }}
        />
      )}
      {kinds.length === 0 ? (
        <p class="muted">{t('admin.org.noChildren', { kind: kindLabel(unit.kind) })}</p>
      ) : (
        !closed && (
          <form class="form" onSubmit={create} noValidate id="ou-new">
            <fieldset>
              <legend>{t('admin.org.add', { name: unit.name })}</legend>
              {nuTop && <Alert kind="error">{nuTop}</Alert>}
              <div class="grid">
                <TextField
                  id="ou-new-id"
                  label={t('admin.org.id')}
                  required
                  value={nu.id}
                  onValue={(v) => {
                    setNu((x) => ({ ...x, id: v.toUpperCase() }));
                    setNuErr((x) => ({ ...x, id: '' }));
                  }}
                  error={nuErr.id}
                  hint={t('admin.org.idHint', { example: `${unit.id}-${unit.kind === 'province' ? 'XX' : 'H01'}` })}
                  maxLength={32}
                />
                <TextField
                  id="ou-new-name"
                  label={t('admin.org.name')}
                  required
                  value={nu.name}
                  onValue={(v) => {
                    setNu((x) => ({ ...x, name: v }));
                    setNuErr((x) => ({ ...x, name: '' }));
                  }}
                  error={nuErr.name}
                  maxLength={200}
                />
                <SelectField
                  id="ou-new-kind"
                  label={t('admin.org.kind')}
                  required
                  value={nu.kind}
                  onValue={(v) => setNu((x) => ({ ...x, kind: v }))}
                  error={nuErr.kind}
                  options={kinds.map((k) => ({ value: k, label: kindLabel(k) }))}
                />
              </div>
              <div class="buttons">
                <button type="submit" class="primary" disabled={busy}>
                  {t('admin.org.create')}
                </button>
              </div>
            </fieldset>
          </form>
        )
      )}
    </div>
  );
}
