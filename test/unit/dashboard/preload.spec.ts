import { preload, takePreloaded } from 'src/dashboard/api/preload';

describe('data preloaded as a link is followed', () => {
  afterEach(() => jest.useRealTimers());

  it('is handed to the page that asks for its key, once', async () => {
    let calls = 0;
    preload('shipments?', () => Promise.resolve(++calls));
    expect(takePreloaded('shipments?status=delivered')).toBeUndefined();
    // Asking for another key dropped nothing it was not asked for: the first key is still there.
    await expect(takePreloaded<number>('shipments?')).resolves.toBe(1);
    expect(takePreloaded('shipments?')).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('is not handed out once stale (the page loads afresh)', () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T07:00:00Z') });
    preload('shipments?', () => Promise.resolve('old'));
    jest.setSystemTime(new Date('2026-11-30T07:00:02.001Z'));
    expect(takePreloaded('shipments?')).toBeUndefined();
  });

  it('does not leave a failed request unhandled when nobody takes it', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      preload('gone', () => Promise.reject(new Error('offline')));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
      await expect(takePreloaded('gone')).rejects.toThrow('offline');
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
