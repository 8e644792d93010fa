import type { TimelineActor, TimelineEntry } from '../report/report.js';
import type { AuditEvent, AuditObjectRef } from './event.js';
import { describeObjectRef } from './event.js';
import { outcomeOf } from './outcome.js';
import { doorOf } from './doors.js';

interface ActorRecord {
  readonly doors: Set<string>;
  readonly sourceIPs: Set<string>;
  readonly userAgents: Set<string>;
  readonly entries: TimelineEntry[];
  omitted: number;
  flagged: boolean;
  /**
   * Once the entries are full, no plain entry (one without findings) is ever added again and the
   * newest is the one replaced, so every entry above this index has findings: the search for the
   * newest plain entry starts here instead of at the end (an actor with thousands of findings made
   * that search walk all of its entries for each of them).
   */
  plainAtOrBelow: number;
}

export interface TimelineLimits {
  readonly maxActors: number;
  readonly maxEntriesPerActor: number;
}

export const DEFAULT_TIMELINE_LIMITS: TimelineLimits = { maxActors: 2000, maxEntriesPerActor: 200 };

/**
 * What each actor did, kept for the requests that change things (and exec, and anonymous ones),
 * so that once an actor has a finding the report can answer "what else did they do". Bounded per
 * actor and in actors; the report names both counts when they cut something.
 */
export class Timeline {
  private readonly actors = new Map<string, ActorRecord>();
  private droppedActors = 0;

  constructor(private readonly limits: TimelineLimits = DEFAULT_TIMELINE_LIMITS) {}

  /** `ref`: the event's objectRef, or one naming what a create by generateName created. */
  record(event: AuditEvent, findings: readonly string[], ref: AuditObjectRef = event.objectRef): void {
    const key = event.user || '(no user)';
    let actor = this.actors.get(key);
    if (!actor) {
      if (this.actors.size >= this.limits.maxActors) {
        this.droppedActors++;
        return;
      }
      actor = { doors: new Set(), sourceIPs: new Set(), userAgents: new Set(), entries: [], omitted: 0, flagged: false, plainAtOrBelow: Number.POSITIVE_INFINITY };
      this.actors.set(key, actor);
    }
    if (findings.length > 0) actor.flagged = true;
    const door = doorOf(event);
    if (door && actor.doors.size < 5) actor.doors.add(door);
    for (const ip of event.sourceIPs) if (actor.sourceIPs.size < 10) actor.sourceIPs.add(ip);
    if (event.userAgent && actor.userAgents.size < 5) actor.userAgents.add(event.userAgent.slice(0, 120));
    const outcome = outcomeOf(event);
    // A refused request changed nothing: the entry says so, or it reads like one that did.
    const entry: TimelineEntry = {
      timestamp: event.timestamp,
      verb: event.verb,
      object: describeObjectRef(ref),
      auditID: event.auditID,
      findings,
      ...(outcome !== undefined ? { outcome, ...(event.code !== undefined ? { code: event.code } : {}) } : {}),
    };
    if (actor.entries.length < this.limits.maxEntriesPerActor) actor.entries.push(entry);
    else if (findings.length > 0) {
      // A request with a finding always gets a place: it replaces the latest one without.
      let plain = Math.min(actor.entries.length - 1, actor.plainAtOrBelow);
      while (plain >= 0 && (actor.entries[plain]?.findings.length ?? 0) > 0) plain--;
      if (plain >= 0) actor.entries.splice(plain, 1);
      actor.plainAtOrBelow = plain - 1;
      actor.entries.push(entry);
      actor.omitted++;
    } else actor.omitted++;
  }

  /** Actors with at least one finding, in the order of their first request. */
  flagged(): { readonly actors: TimelineActor[]; readonly droppedActors: number } {
    const actors: TimelineActor[] = [];
    for (const [name, record] of this.actors) {
      if (!record.flagged) continue;
      const entries = [...record.entries].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
      actors.push({ actor: name, doors: [...record.doors], sourceIPs: [...record.sourceIPs], userAgents: [...record.userAgents], entries, omitted: record.omitted });
    }
    actors.sort((a, b) => (a.entries[0]?.timestamp ?? '').localeCompare(b.entries[0]?.timestamp ?? ''));
    return { actors, droppedActors: this.droppedActors };
  }
}
