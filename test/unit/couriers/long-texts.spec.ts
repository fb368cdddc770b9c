import { saysNotFound } from 'src/couriers/answer-words';
import { locationOf } from 'src/couriers/adapters/jne/jne.mapper';
import { parseNinjaTime } from 'src/couriers/adapters/ninja/ninja.mapper';
import { parseSla } from 'src/couriers/adapters/sap/sap.mapper';
import { classifyStatusWords, reasonOfWords, WORDS_READ } from 'src/couriers/status-words';

/**
 * A courier's text may be as long as its answer (8 MB). Each reader here once tried a pattern again from
 * every place of a run (blanks, brackets), in time the square of its length: a megabyte of it held the
 * service's only thread for minutes. The test's time limit fails the patterns before; the readings stay.
 */
describe('courier texts of a megabyte', () => {
  const blanks = ' '.repeat(1_000_000);

  it('are read in time, and short ones as before', () => {
    expect(saysNotFound(`tracking${blanks}x`)).toBe(false);
    expect(saysNotFound('Tracking number is invalid')).toBe(true);
    expect(saysNotFound('TRACKING is unknown')).toBe(true);
    expect(saysNotFound('trackingid salah')).toBe(true);

    expect(locationOf('['.repeat(1_000_000))).toBeUndefined();
    expect(locationOf('DELIVERED TO [BUDI | 06-11-2020 11:00 | AMBON]')).toBe('AMBON');
    expect(locationOf('RECEIVED AT WAREHOUSE [PANGKALAN BUN] [SORTING]')).toBe('SORTING');

    const fallback = { min: 9, max: 9 };
    expect(parseSla(`2 s${blanks}x`, fallback)).toEqual({ min: 2, max: 2 });
    expect(parseSla('1 s/d 3 hari', fallback)).toEqual({ min: 1, max: 3 });
    expect(parseSla('1 s / d 3 hari', fallback)).toEqual({ min: 1, max: 3 });

    expect(parseNinjaTime(`2026-12-07T10:00:00${blanks}x`).getTime()).toBeNaN();
    expect(parseNinjaTime('2026-12-07T10:00:00 +0700').toISOString()).toBe('2026-12-07T03:00:00.000Z');
  });

  it('read for their words from the first WORDS_READ characters only, a return’s words repeated or not', () => {
    // Two words in order, again and again (RETURN … DITERIMA …): 32,000 characters of it took 39 s.
    const repeated = 'RETURN DITERIMA '.repeat(16_000);
    expect(classifyStatusWords(repeated)).toEqual(classifyStatusWords(repeated.slice(0, WORDS_READ)));
    expect(classifyStatusWords(repeated)?.rule).toBe('return under way');
    expect(reasonOfWords(`${'PAKET '.repeat(1_000)}ALAMAT TIDAK LENGKAP`)).toBeUndefined();
    expect(classifyStatusWords('Paket retur telah diterima oleh pengirim')).toMatchObject({
      status: 'returned',
      returnLeg: true,
    });
  });
});
