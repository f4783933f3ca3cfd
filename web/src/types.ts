// Shapes of the API's resources, as far as the UI reads them (docs/customers.md).

export interface User {
  id: string;
  login: string;
  displayName: string;
  orgId: string;
  roles: string[];
}

export interface Session {
  via: string;
  csrfToken?: string;
  expirationDate?: string;
  user: User;
  permissions: string[];
}

export interface ContactMedium {
  mediumType: string;
  preferred?: boolean;
  characteristic?: Record<string, string | undefined>;
  source?: string;
}

export interface Identification {
  identificationType: string;
  identificationId: string;
}

export interface Party {
  id: string;
  '@type'?: string;
  fullName?: string;
  givenName?: string;
  familyName?: string;
  gender?: string;
  birthDate?: string;
  nationality?: string;
  name?: string;
  tradingName?: string;
  organizationType?: string;
  status?: string;
  individualIdentification?: Identification[];
  organizationIdentification?: Identification[];
  contactMedium?: ContactMedium[];
  orgId?: string;
  version?: number;
  lastUpdate?: string;
}

export interface Churn {
  churnDate: string;
  reason?: string;
  portedToOperator?: string;
}

export interface Customer {
  id: string;
  href?: string;
  customerNo: string;
  name: string;
  status: string;
  statusReason?: string;
  customerRank?: string;
  segment?: string;
  engagedParty?: { id: string; '@referredType'?: string; name?: string };
  contactMedium?: ContactMedium[];
  blacklisted?: boolean;
  blacklistReason?: string;
  blacklistedBy?: string;
  blacklistedDate?: string;
  bigCustomerPotential?: boolean;
  churn?: Churn | null;
  orgId?: string;
  /** the user who looks after the customer (the own-records depth reaches it through them) */
  ownerId?: string | null;
  version: number;
  createdDate?: string;
  lastUpdate?: string;
}

export interface Flags {
  status: string;
  statusReason?: string;
  nextStatuses: string[];
  blacklisted?: boolean;
  blacklistReason?: string;
  blacklistedBy?: string;
  blacklistedDate?: string;
  bigCustomerPotential?: boolean;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  resourceId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface Section {
  name: string;
  data: unknown;
}

export interface View360 {
  id: string;
  href: string;
  customerNo: string;
  name: string;
  sections: Section[];
  omitted: string[];
}

export interface SearchHit {
  id: string;
  href: string;
  customerNo: string;
  name: string;
  status: string;
  customerRank?: string;
  segment?: string;
  blacklisted?: boolean;
  orgId?: string;
  matchedBy: string;
  exactMatch?: boolean;
  phoneNumber?: string;
  idNumber?: string;
  /** an organisation's registered name, when that matched rather than the customer's name */
  matchedName?: string;
  engagedParty?: { id: string; '@referredType'?: string };
  /** what tells namesakes apart: the unit's name and a phone number (masked without pii.read) */
  orgName?: string;
  phone?: string;
}

export interface OrgUnit {
  id: string;
  name: string;
  kind: string;
  parentId?: string;
  /** '/HQ/GD/GD-GZ/GD-GZ-H01/': the unit and those above it */
  path?: string;
  status?: string;
}
