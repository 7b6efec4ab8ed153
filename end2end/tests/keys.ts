// Keys the e2e fake provider (end2end/fake-provider.mjs) accepts or
// refuses. None of them may ever come back from the server, nor be found
// in its database or log.
export const GOOD_KEYS = ['sk-e2e-good-key-1111', 'sk-e2e-good-key-2222'] as const;
export const REFUSED_KEY = 'sk-e2e-refused-key-9999';
export const ALL_KEYS = [...GOOD_KEYS, REFUSED_KEY];
