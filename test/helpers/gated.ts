/** A render that reports its start and finishes only when released. */
export function gated<D>(render: (document: D) => Promise<Buffer>) {
  let started!: () => void;
  let release!: () => void;
  const rendering = new Promise<void>((resolve) => (started = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    rendering,
    release,
    render: async (document: D) => {
      started();
      await gate;
      return render(document);
    },
  };
}
