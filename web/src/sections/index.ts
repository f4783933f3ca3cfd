// The 360° page renders each section of GET /api/v1/customers/{id}/360 by its name
// through this registry. A section the registry does not know is shown by the generic
// key/value view, so a new server section appears without UI work; to give it a proper
// view, add a file here and one line below (and its title to the i18n tables).
import type { FunctionComponent } from 'preact';
import type { MsgKey } from '../i18n';
import type { View360 } from '../types';
import { ProfileSection } from './profile';
import { PartySection } from './party';
import { ContactsSection } from './contacts';
import { FlagsSection } from './flags';
import { ChurnSection } from './churn';
import { AuditSection } from './audit';
import { GenericSection } from './generic';
import { LinesSection } from './lines';
import { AccountsSection } from './accounts';

export interface SectionProps<T = unknown> {
  data: T;
  view: View360;
  /** load the view again (after a change made from a section) */
  reload: () => Promise<void>;
  /** the user may change this customer (customer.write reaches its unit) */
  writable: boolean;
}

export interface SectionDef {
  title: MsgKey;
  render: FunctionComponent<SectionProps<any>>;
  /** spans the whole width of the page */
  wide?: boolean;
}

export const sections: Record<string, SectionDef> = {
  lines: { title: 'section.lines', render: LinesSection, wide: true },
  profile: { title: 'section.profile', render: ProfileSection },
  flags: { title: 'section.flags', render: FlagsSection },
  party: { title: 'section.party', render: PartySection },
  contacts: { title: 'section.contacts', render: ContactsSection },
  churn: { title: 'section.churn', render: ChurnSection },
  accounts: { title: 'section.accounts', render: AccountsSection },
  audit: { title: 'section.audit', render: AuditSection, wide: true },
};

export const genericSection = GenericSection;

/** 'recentBills' → 'Recent bills' for sections without a title of their own. */
export { humanise } from './humanise';
