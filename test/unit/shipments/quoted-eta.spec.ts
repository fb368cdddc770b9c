import { quotedEta } from 'src/shipments/pickup.service';

describe('the quoted transit days a booking keeps for the tracker', () => {
  const booked = (days: { min: number; max: number } | undefined) =>
    quotedEta({
      ranked: { promised: new Map(days ? [['jne:REG', days]] : []) },
      chosen: { courier: 'jne', service: 'REG' },
    });

  it("are the booked option's days from the ranking", () => {
    expect(booked({ min: 2, max: 3 })).toEqual({ quotedEtaMinDays: 2, quotedEtaMaxDays: 3 });
  });

  it.each([
    ['not whole', { min: 1.5, max: 3 }],
    ['out of order', { min: 4, max: 2 }],
    ['negative', { min: -1, max: 2 }],
  ])('are not kept when the courier gave days %s (the catalogue promise stands in)', (_, days) => {
    expect(booked(days)).toEqual({ quotedEtaMinDays: null, quotedEtaMaxDays: null });
  });

  it('are not kept when the ranking has none for the booked option', () => {
    expect(booked(undefined)).toEqual({ quotedEtaMinDays: null, quotedEtaMaxDays: null });
  });
});
