import { GroupCommit } from 'src/tracking/group-commit';

/** A commit that finishes only when the test says so. */
function controlledCommits() {
  const groups: number[][] = [];
  const finish: (() => void)[] = [];
  const commit = (items: number[]) => {
    groups.push(items);
    return new Promise<void>((resolve) => finish.push(resolve));
  };
  const tick = () => new Promise((r) => setImmediate(r));
  return { groups, finish, commit, tick };
}

describe('group commit of poll answers', () => {
  it('commits at once while a slot is free, and groups what arrives while the slots are busy', async () => {
    const c = controlledCommits();
    const group = new GroupCommit(c.commit, { groupSize: 100, concurrent: 2, maxWaiting: 100 });
    for (const i of [1, 2, 3, 4, 5]) await group.add(i);
    expect(c.groups).toEqual([[1], [2]]);
    c.finish[0]();
    await c.tick();
    expect(c.groups).toEqual([[1], [2], [3, 4, 5]]);
    c.finish[1]();
    c.finish[2]();
    await group.drained();
    expect(c.groups.flat()).toEqual([1, 2, 3, 4, 5]);
  });

  it('never puts more than groupSize items in one commit', async () => {
    const c = controlledCommits();
    const group = new GroupCommit(c.commit, { groupSize: 2, concurrent: 1, maxWaiting: 100 });
    for (const i of [1, 2, 3, 4, 5, 6]) await group.add(i);
    for (let n = 0; n < 4; n += 1) {
      c.finish[n]();
      await c.tick();
    }
    await group.drained();
    expect(c.groups).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('makes the caller wait while maxWaiting items already wait (back pressure)', async () => {
    const c = controlledCommits();
    const group = new GroupCommit(c.commit, { groupSize: 10, concurrent: 1, maxWaiting: 2 });
    await group.add(1);
    await group.add(2);
    await group.add(3);
    let fourthIn = false;
    const fourth = group.add(4).then(() => (fourthIn = true));
    await c.tick();
    expect(fourthIn).toBe(false);
    c.finish[0]();
    await fourth;
    expect(fourthIn).toBe(true);
    expect(c.groups).toEqual([[1], [2, 3]]);
    c.finish[1]();
    await c.tick();
    c.finish[2]();
    await group.drained();
    expect(c.groups).toEqual([[1], [2, 3], [4]]);
  });

  it('goes on after a failed commit, and drained waits for every item', async () => {
    const committed: number[] = [];
    const group = new GroupCommit(
      async (items: number[]) => {
        await new Promise((r) => setTimeout(r, 1));
        if (items.includes(2)) throw new Error('database gone');
        committed.push(...items);
      },
      { groupSize: 1, concurrent: 1, maxWaiting: 10 },
    );
    for (const i of [1, 2, 3]) await group.add(i);
    await group.drained();
    expect(committed).toEqual([1, 3]);
  });

  it('is drained at once when nothing was added', async () => {
    const group = new GroupCommit(() => Promise.resolve(), { groupSize: 1, concurrent: 1, maxWaiting: 1 });
    await expect(group.drained()).resolves.toBeUndefined();
  });
});
