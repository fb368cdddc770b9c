import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { VALIDATION_PIPE_OPTIONS } from 'src/common/errors/validation';
import { VoidRemittanceDto } from 'src/remittances/remittances.dto';

const pipe = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
/** The refused fields' messages, or the value the DTO was given. */
const check = async (reason: unknown): Promise<unknown> => {
  try {
    return await pipe.transform({ reason }, { type: 'body', metatype: VoidRemittanceDto });
  } catch (e) {
    return (e as { getResponse?: () => unknown }).getResponse?.() ?? e;
  }
};

describe('free text a person types (the shared Text rule)', () => {
  it('refuses a value with nothing to read in it: zero-width, joiner or word-joiner characters alone', async () => {
    for (const reason of ['\u200b', '\u200b \u2060', '\ufeff\u200d'])
      expect(JSON.stringify(await check(reason))).toContain(
        'reason must have a letter, digit or sign in it, not only invisible characters',
      );
  });

  it('takes words, digits, signs and emoji, trimmed', async () => {
    for (const reason of ['Salah kurir', '42', '?', '🙂'])
      expect(await check(` ${reason} `)).toEqual(expect.objectContaining({ reason }));
  });
});
