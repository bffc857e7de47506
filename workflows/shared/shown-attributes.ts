import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';

const told = (attributes: SearchAttributeUpdatePair[]): string =>
  JSON.stringify(attributes.map(({ key, value }) => [key.name, value]));

/**
 * A workflow's search attributes, upserted only when they differ from those last upserted: each upsert is an event
 * in the history and a write to the server's visibility store, and most wakes change none of them (issue #20).
 * `onChangeOnly` is the workflow's patch: a run from before it upserts at every `show`, as it did then.
 */
export class ShownAttributes {
  private last?: string;

  /** `startedWith`: the attributes the workflow was started with (already shown, nothing to upsert for them). */
  constructor(
    private readonly onChangeOnly: boolean,
    startedWith?: SearchAttributeUpdatePair[],
  ) {
    if (startedWith) this.last = told(startedWith);
  }

  /** `always`: upserted even when unchanged (a wait that clears what it showed, as workflows did before). */
  show(attributes: SearchAttributeUpdatePair[], { always = false } = {}): void {
    const now = told(attributes);
    if (always || !this.onChangeOnly || now !== this.last) upsertSearchAttributes(attributes);
    this.last = now;
  }
}
