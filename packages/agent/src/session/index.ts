export { AgentSession, type AgentSessionOptions } from "./agent-session.ts";
export { decodeAssignmentsMessage } from "./assignment-decoding.ts";
export { CertificateRenewal, type CertificateRenewalOptions } from "./certificate-renewal.ts";
export { type KnownManager, ManagerPicker } from "./manager-picker.ts";
export { DEFAULT_SESSION_LIMITS, resolveSessionLimits, type SessionLimits } from "./session-limits.ts";
export { nodeDescriptionToWire } from "./wire-description.ts";
