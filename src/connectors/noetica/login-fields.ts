/** What the bar asks for before Log in: Request Login's extension, and the agent's password if the site uses one. */
import type { LoginField } from '../kit/define-connector.ts';

export const NOETICA_LOGIN_FIELDS: readonly LoginField[] = [
  { name: 'extension', label: 'Extension', required: true },
  { name: 'password', label: 'Password', secret: true },
];
