/**
 * DOM helpers shared by the fake CRM shells (demo/salesforce.ts, demo/dynamics.ts). Customer data
 * is only ever written as text.
 */
export const byId = (id: string): HTMLElement => document.getElementById(id)!;

export function item(...children: (Node | string)[]): HTMLLIElement {
  const li = document.createElement('li');
  li.append(...children);
  return li;
}

export function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/** A record as pretty JSON text (the shells' list of logged calls). */
export function jsonItem(value: unknown): HTMLLIElement {
  const pre = document.createElement('pre');
  pre.className = 'log';
  pre.textContent = JSON.stringify(value, null, 1);
  return item(pre);
}

/** Buttons that arm a CRM-side fault, each saying so in `#fault-status`. */
export function faultButtons(faults: [string, () => void][]): void {
  for (const [label, run] of faults) {
    byId('faults').append(
      item(
        button(label, () => {
          run();
          byId('fault-status').textContent = `Armed: ${label}.`;
        }),
      ),
    );
  }
}

/** The simulator's callers: one match, several, none. */
export function callerButtons(offer: (caller: { number: string; name?: string }) => void): void {
  const callers = [
    { label: 'Ada Lovelace calls (one match)', number: '+442079460111', name: 'Ada Lovelace' },
    { label: 'Ada calls from a shared line (several matches)', number: '+442079460222', name: 'Ada' },
    { label: 'Unknown caller (no match)', number: '+442079460999' },
  ];
  for (const c of callers) byId('callers').append(item(button(c.label, () => offer(c.name ? { number: c.number, name: c.name } : { number: c.number }))));
}
