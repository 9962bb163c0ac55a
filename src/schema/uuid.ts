// Handoff and flow ids are UUIDs: an id of any other form names nothing, and is
// answered null without asking PostgreSQL (which would refuse to compare it).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
