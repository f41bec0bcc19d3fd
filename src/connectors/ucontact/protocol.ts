/**
 * The uContact wire as the connector and the emulator both use it (docs/connectors/ucontact.md):
 * the window-proxy action and event names of both flavours, the Integra REST paths with their form
 * fields, and the bounds on what is read. Data only, no I/O. Names marked "decided" are not in
 * uContact's documents (their pages lost them); the docs page lists each decision.
 */

// ---- window proxy: legacy Porthole flavour (the CRM page in a frame of the portal) --------------

/** Actions the CRM frame posts to the portal through Porthole 1.0 (flat objects). */
export const PORTHOLE_ACTIONS = {
  /** Documented: `{action:'call', campaign, callerid, destination}` → reply `{guid}`. */
  call: 'call',
  /** Documented: `{action:'callWithPhone', destination, campaign}` → reply `{guid}`. */
  callWithPhone: 'callWithPhone',
  /** Decided: `{action:'hangup', guid}` → reply `{action:'hangup', guid, result}`. */
  hangup: 'hangup',
  /** Decided: `{action:'disposition', guid, campaign, agent?, callerid?, l1, l2?, l3?, comment?, schedule?, camptoreschedule?, tag?}` (the REST DispositionCall fields). */
  disposition: 'disposition',
  /** Decided: `{action:'schedule', calldate, campaign, destination, guid?}` (the REST callschedule fields). */
  schedule: 'schedule',
  /**
   * Decided, named by the documents, answered `{action, guid?, result}` like the others:
   * `{action:'tagRecord', guid, tag}` ("Tag Record via Proxy"; sent before the disposition of a
   * code configured with a tag), `{action:'closeForm'}` ("close the form"; after a disposition
   * when `config.closeForm`), and `{action:'respool', guid, respool}` with `respool` the Respool
   * object as JSON ("Respool Call via Proxy"; never sent by the bar: the CTI object it is made
   * from is encrypted in the portal).
   */
  tagRecord: 'tagRecord',
  respool: 'respool',
  closeForm: 'closeForm',
} as const;

/** The two documented dial actions. */
export const DIAL_ACTIONS = [PORTHOLE_ACTIONS.call, PORTHOLE_ACTIONS.callWithPhone] as const;
export type DialAction = (typeof DIAL_ACTIONS)[number];

/** Decided: a synthetic action's reply carries `result` `'1'` (done) or `'0'` (refused), as the REST answers do. */
export const RESULT_OK = '1';
export const RESULT_FAILED = '0';
/** The documented error answer of a call: `0` where a GUID would be (REST; decided for the proxy). */
export const NO_GUID = '0';

// ---- window proxy: uPhone v6 flavour (`{action, params}`) --------------------------------------

/** Documented: what the CRM page posts into the uPhone frame. */
export const UPHONE_ACTIONS = { makeCall: 'makeCall', makeSms: 'makeSms' } as const;

/**
 * Documented: what uPhone posts to the page around it. The same names also arrive inside Porthole
 * envelopes from the legacy portal (decided: one vocabulary for the portal's events).
 */
export const PORTAL_EVENTS = ['makeCall', 'gettingCall', 'finishedCall', 'finishedSms', 'sentDispositions', 'agentLogin'] as const;
export type PortalEvent = (typeof PORTAL_EVENTS)[number];

// ---- window proxy: the v6 "Events API" (`{event, data}`) ---------------------------------------

/**
 * Documented (docs.ucontactcloud.com "Events API"): what an embedded uContact v6 posts to the page
 * around it, as `{event, data}`. `assignedInteraction` / `finishedInteraction` carry `{guid,
 * campaign, channel, clientId}` / `{guid, …}`; the theme and language events are not about calls.
 */
export const EVENTS_API = ['assignedInteraction', 'finishedInteraction', 'sentDisposition', 'changedTheme', 'changedLanguage'] as const;
export type EventsApiEvent = (typeof EVENTS_API)[number];

/**
 * Decided: the `channel` values that are a phone call (case-insensitive); an interaction on any
 * other channel (webchat, SMS, e-mail …) is not a call and changes nothing. No channel: a call.
 */
export const VOICE_CHANNELS: readonly string[] = ['telephony', 'voice', 'call', 'calls', 'phone'];

export const PROXY_FLAVOURS = ['porthole', 'uphone'] as const;
export type ProxyFlavour = (typeof PROXY_FLAVOURS)[number];

/** Bounds on what the connector reads from a window (anything beyond is dropped unread). */
export const PROXY_LIMITS = {
  /** A uPhone message, as JSON (Porthole's envelope has its own 256 KB bound). */
  messageChars: 16 * 1024,
  /** An action or event name. */
  nameChars: 40,
  /** A value: a GUID, a number, a campaign, a name. */
  valueChars: 256,
  /** Fields kept from an event's params for display. */
  fields: 20,
} as const;

// ---- Integra REST API ----------------------------------------------------------------------------

/** Every method lives under this path of the uContact server, as a form POST. */
export const REST_PREFIX = 'Integra/resources';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

/** Path (under REST_PREFIX) → the form fields it requires and the optional ones. */
export const REST_METHODS = {
  'auth/getUserToken': { required: ['user', 'password'], optional: [] },
  'auth/AgentLogin': { required: ['agent', 'password'], optional: ['message', 'force'] },
  'auth/EndSession': { required: ['user', 'token'], optional: [] },
  'api/AgentLogoff': { required: ['agent', 'interface'], optional: ['message'] },
  'api/AgentPause': { required: ['agent', 'interface'], optional: ['message'] },
  'api/AgentUnPause': { required: ['agent', 'interface'], optional: ['message'] },
  'api/AgentBreak': { required: ['agent', 'interface', 'motive'], optional: ['message'] },
  'api/AgentUnBreak': { required: ['agent', 'interface'], optional: ['motive', 'message'] },
  'Agents/AgentCall': { required: ['callerid', 'agent', 'phone', 'tech', 'context', 'outqueue', 'destination'], optional: [] },
  'Agents/HangupPhone': { required: ['phone'], optional: [] },
  'api/DispositionCall': {
    required: ['campaign', 'agent', 'guid', 'l1'],
    optional: ['callerid', 'l2', 'l3', 'd1', 'd2', 'comment', 'schedule', 'camptoreschedule', 'tag'],
  },
  'Dialers/ScheduleDialerCall': { required: ['callschedule'], optional: [] },
  'Dialers/DialerTask': { required: ['call'], optional: [] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

export type RestMethod = keyof typeof REST_METHODS;

/** Every key `Dialers/DialerTask`'s `call` JSON must carry (uContact refuses a task missing one). */
export const DIALER_TASK_KEYS = ['calldate', 'campaign', 'destination', 'alternatives', 'agent', 'data', 'source', 'bulk', 'automatic'] as const;

/**
 * Decided: the REST mode's callback targets (the "Callback for" choice). `campaign`: any agent, by
 * the dialer's schedule (the disposition's `schedule` during a call, else `ScheduleDialerCall`);
 * `me`: a `DialerTask` for this agent's phone ("Create a manual call" for the agent).
 */
export const CALLBACK_TARGETS = { campaign: 'campaign', me: 'me' } as const;

/** The answer uContact gives for "failed" on most methods (a GUID, a token or `1` otherwise). */
export const REST_FAILED = '0';

/** uContact's date format for schedules: `YYYY-MM-DD HH:MM:SS`. */
export const SCHEDULE_FORMAT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
