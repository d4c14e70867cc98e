// Names the audit computation. Raise it whenever a change can alter an answer for the same
// inputs (data, profiles, registry version): stored runs then say the computation changed, and
// cached programme audits made by the older computation are not reused.
export const AUDIT_FORMAT = 'isochron-audit/1';
