/**
 * POMCapabilities (`CanHold` … `CanRecord`) ⇄ our capability flags (`hold` … `record`). Both
 * lists are the 17 columns of the capability matrix in the same order, so the mapping is by
 * position; a flag POM leaves out counts as false (the bar never enables what POM did not).
 */
import { CAPABILITY_FLAGS, type CapabilityFlags } from '../../core/capability-flags.ts';
import { POM_CAPABILITY_NAMES, type PomCapabilities } from './protocol.ts';

export function fromPomCapabilities(capabilities: Readonly<Record<string, unknown>>): CapabilityFlags {
  const flags = {} as Record<(typeof CAPABILITY_FLAGS)[number], boolean>;
  CAPABILITY_FLAGS.forEach((flag, i) => (flags[flag] = capabilities[POM_CAPABILITY_NAMES[i]!] === true));
  return Object.freeze(flags);
}

export function toPomCapabilities(flags: CapabilityFlags): PomCapabilities {
  const caps = {} as PomCapabilities;
  POM_CAPABILITY_NAMES.forEach((name, i) => (caps[name] = flags[CAPABILITY_FLAGS[i]!] === true));
  return caps;
}
