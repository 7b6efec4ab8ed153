// The accounts every e2e server starts with (created with the server's
// own `create-user` command in playwright.config.ts).
export const PASSWORD = 'e2e password that is long enough';
export const people = {
  admin: { email: 'admin@example.com', name: 'Ada Admin', role: 'admin' },
  member: { email: 'member@example.com', name: 'Max Member', role: 'member' },
} as const;
export type Person = keyof typeof people;
