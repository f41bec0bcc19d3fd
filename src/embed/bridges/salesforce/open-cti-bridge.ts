/**
 * Salesforce Open CTI for Lightning behind the CRM-neutral `HostBridge`. The bar runs as the
 * call center's adapter page (`reqAdapterUrl`) in the Open CTI softphone utility; this bridge
 * loads `opencti_min.js` from the org, turns every callback-style method into a promise with a
 * time limit, and maps calls onto Salesforce: `searchAndScreenPop` for a caller, `screenPop` of
 * the record the agent picked, a Task through `saveLog` on wrap-up, the softphone panel and its
 * utility-bar label and icon.
 */
import type { Call } from '../../../core/model.ts';
import type { CallRecord } from '../../hooks.ts';
import { withTimeout } from '../../timeout.ts';
import { CrmError } from '../crm-error.ts';
import type { BarPhase, ClickToDialRequest, CrmOptions, CrmRecord, HostBridge } from '../host-bridge.ts';
import { injectScript, trustedOrigin } from '../script-loader.ts';
import { openCtiGlobal, type OpenCti, type OpenCtiClickPayload, type OpenCtiRecordInfo, type OpenCtiResult, type OpenCtiSearchResult } from './open-cti-types.ts';

export interface OpenCtiOptions extends CrmOptions {
  /** The Open CTI API version of `opencti_min.js` (default 66.0). */
  apiVersion?: string;
}

/** The domains Salesforce serves Lightning from: the library is loaded only from them. */
const SALESFORCE_DOMAINS = ['.force.com', '.salesforce.com'];
/** The SLDS icon of the utility item in each phase. */
const ICONS: Record<BarPhase, string> = { idle: 'call', ringing: 'incoming_call', talking: 'call', wrapup: 'end_call' };
/** Task fields limited to 255 characters by Salesforce. */
const MAX_FIELD = 255;

/** Where `opencti_min.js` lives: the org's Lightning origin, from the adapter URL's `sfdcIframeOrigin` or the referrer. */
export function openCtiScriptUrl(options: OpenCtiOptions, location: Location = globalThis.location, referrer = globalThis.document?.referrer): string {
  if (options.scriptUrl) return options.scriptUrl;
  const origin =
    trustedOrigin(new URLSearchParams(location.search).get('sfdcIframeOrigin'), SALESFORCE_DOMAINS) ??
    trustedOrigin(location.ancestorOrigins?.[0], SALESFORCE_DOMAINS) ??
    trustedOrigin(referrer, SALESFORCE_DOMAINS);
  if (!origin) throw new CrmError('Loading Open CTI', 'the page is not inside Salesforce (no https *.force.com or *.salesforce.com origin); set crmOptions.scriptUrl');
  return `${origin}/support/api/${options.apiVersion ?? '66.0'}/lightning/opencti_min.js`;
}

/** A Salesforce id names its object by its first three characters. */
const WHO_PREFIXES = ['003', '00Q'];
const isWho = (record: CrmRecord) => (record.type ? /^(contact|lead)$/i.test(record.type) : WHO_PREFIXES.includes(record.id.slice(0, 3)));

/** `YYYY-MM-DD` in the agent's time zone (a Task's ActivityDate is a date, not a time). */
function activityDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function recordOf(info: OpenCtiRecordInfo | undefined): CrmRecord | undefined {
  if (!info?.recordId) return undefined;
  const record: CrmRecord = { id: String(info.recordId), name: String(info.recordName ?? info.recordId) };
  if (info.objectType) record.type = String(info.objectType);
  return record;
}

export class OpenCtiBridge implements HostBridge {
  readonly crm = 'Salesforce';
  readonly #options: OpenCtiOptions;
  #api: OpenCti | undefined;
  #disposed = false;
  readonly #clickListeners: ((request: ClickToDialRequest) => void)[] = [];
  readonly #navigationListeners: ((record: CrmRecord | undefined) => void)[] = [];

  constructor(options: OpenCtiOptions = {}) {
    this.#options = options;
  }

  async init(): Promise<void> {
    if (!openCtiGlobal()) {
      const url = openCtiScriptUrl(this.#options);
      await withTimeout(() => (this.#options.loadScript ?? injectScript)(url), this.#timeoutMs, 'Loading Open CTI');
    }
    const api = openCtiGlobal();
    if (!api) throw new CrmError('Loading Open CTI', 'opencti_min.js loaded but sforce.opencti is missing');
    this.#api = api;
    // Listeners cannot be removed in Open CTI: each is registered once and fans out to ours.
    await this.#call('enableClickToDial', {});
    api.onClickToDial({ listener: (payload) => this.#clicked(payload) });
    api.onNavigationChange({ listener: (info) => this.#navigated(info) });
    // The record on screen is a nicety: without it the bar still works (the next navigation tells).
    this.#navigated(await this.#call<OpenCtiRecordInfo>('getAppViewInfo', {}).catch(() => undefined));
  }

  onClickToDial(listener: (request: ClickToDialRequest) => void): void {
    this.#clickListeners.push(listener);
  }

  onNavigation(listener: (record: CrmRecord | undefined) => void): void {
    this.#navigationListeners.push(listener);
  }

  async searchAndPop(call: Call, { pop }: { pop: boolean }): Promise<CrmRecord[]> {
    const api = this.#ready();
    const callType = call.direction === 'inbound' ? api.CALL_TYPE.INBOUND : api.CALL_TYPE.OUTBOUND;
    const result = await this.#call<OpenCtiSearchResult>('searchAndScreenPop', { searchParams: call.remote.number, callType, deferred: !pop });
    const records: CrmRecord[] = [];
    for (const [key, value] of Object.entries(result ?? {})) {
      if (key === 'SCREEN_POP_DATA' || !value || typeof value !== 'object' || !('Id' in value)) continue;
      records.push({ id: String(value.Id), name: String(value.Name ?? value.Id), type: String(value.RecordType ?? '') || undefined } as CrmRecord);
    }
    return records;
  }

  async screenPop(_call: Call, record: CrmRecord): Promise<void> {
    const api = this.#ready();
    await this.#call('screenPop', { type: api.SCREENPOP_TYPE.SOBJECT, params: { recordId: record.id } });
  }

  async saveCallLog(record: CallRecord, regarding: CrmRecord | undefined): Promise<string | undefined> {
    const inbound = record.direction === 'inbound';
    const value: Record<string, unknown> = {
      entityApiName: 'Task',
      CallType: inbound ? 'Inbound' : 'Outbound',
      CallDurationInSeconds: Math.round(record.talkSec),
      CallObject: record.callId.slice(0, MAX_FIELD),
      Subject: `${inbound ? 'Inbound' : 'Outbound'} call ${record.number}`,
      Status: 'Completed',
      ActivityDate: activityDate(record.startedAt),
      TaskSubtype: 'Call',
      Description: record.notes.join('\n'),
    };
    const disposition = record.disposition?.label ?? record.disposition?.code;
    if (disposition) value.CallDisposition = disposition.slice(0, MAX_FIELD);
    if (regarding) value[isWho(regarding) ? 'WhoId' : 'WhatId'] = regarding.id;
    const saved = await this.#call<{ recordId?: string } | string>('saveLog', { value });
    // The record page behind the softphone shows the new Task only after a refresh.
    await this.#call('refreshView', {});
    return typeof saved === 'string' ? saved : saved?.recordId;
  }

  async setPanelVisible(visible: boolean): Promise<void> {
    await this.#call('setSoftphonePanelVisibility', { visible });
  }

  async setPanelSize({ width, height }: { width?: number; height?: number }): Promise<void> {
    if (width !== undefined) await this.#call('setSoftphonePanelWidth', { widthPX: width });
    if (height !== undefined) await this.#call('setSoftphonePanelHeight', { heightPX: height });
  }

  async setLabel(label: string, phase: BarPhase): Promise<void> {
    await this.#call('setSoftphoneItemLabel', { label });
    await this.#call('setSoftphoneItemIcon', { key: ICONS[phase] });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#clickListeners.length = 0;
    this.#navigationListeners.length = 0;
    // Numbers stop being clickable for a softphone that no longer listens.
    if (this.#api) this.#call('disableClickToDial', {}, true).catch(() => {});
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? 10_000;
  }

  #ready(): OpenCti {
    if (!this.#api || this.#disposed) throw new CrmError('Open CTI', 'not initialised');
    return this.#api;
  }

  /** One Open CTI method as a promise: its callback's result, its `errors` as a `CrmError`, or a timeout. */
  #call<T>(method: keyof OpenCti, args: Record<string, unknown>, evenIfDisposed = false): Promise<T> {
    const api = evenIfDisposed ? this.#api! : this.#ready();
    return withTimeout(
      () =>
        new Promise<T>((resolve, reject) => {
          const callback = (result: OpenCtiResult<T>) => {
            if (result?.success) return resolve(result.returnValue as T);
            const first = result?.errors?.[0];
            const description = result?.errors?.map((e) => e.description).join('; ') || 'Salesforce reported a failure';
            reject(new CrmError(String(method), description, first?.code));
          };
          // A synchronous throw (a malformed argument) rejects through withTimeout.
          (api[method] as (a: object) => void)({ ...args, callback });
        }),
      this.#timeoutMs,
      `Salesforce ${String(method)}`,
    );
  }

  #clicked(payload: OpenCtiClickPayload): void {
    if (this.#disposed || !payload) return;
    const raw = payload.number ?? payload.returnValue?.number;
    if (raw === undefined || raw === null || String(raw).trim() === '') return;
    const request: ClickToDialRequest = { number: String(raw) };
    const record = recordOf(payload.recordId ? payload : payload.returnValue);
    if (record) request.record = record;
    for (const listener of [...this.#clickListeners]) listener(request);
  }

  #navigated(info: OpenCtiRecordInfo | undefined): void {
    if (this.#disposed) return;
    const record = recordOf(info);
    for (const listener of [...this.#navigationListeners]) listener(record);
  }
}
