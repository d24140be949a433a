/** Marks listen's own self-test delivery (stored, never forwarded). Its own module: the receiver loads only this. */
export const SELF_TEST_HEADER = 'x-pictify-hooks-self-test';
