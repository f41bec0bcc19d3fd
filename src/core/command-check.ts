/**
 * The lazy half of checking a command: phone-number validation (libphonenumber-js and its
 * metadata, a third of the bar's weight) and the argument validation that uses it. Nothing needs
 * either before the agent acts, so the session fetches this module in the background at start
 * (dist/agent-bar-phone.js) and `connect()` waits for it: by the time a command can succeed, both
 * are here. Errors thrown from here cross module instances; the session rebuilds them with
 * `CtiError.from`.
 */
export { checkPhoneNumber } from './phone-number.ts';
export { validateCommand } from './command-validation.ts';
