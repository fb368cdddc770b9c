import { drawableText } from 'src/invoicing/export/pdf';

describe('drawableText (what Helvetica in a PDF can draw)', () => {
  it.each([
    ['Toko Batik Sekar', 'Toko Batik Sekar'],
    ['Kafé Ñoño – “Kue” €5', 'Kafé Ñoño – “Kue” €5'],
    ['Cafe\u0301 Sore', 'Café Sore'], // a decomposed accent is composed, not dropped
    ['Toko Kue 🍰', 'Toko Kue ?'], // one emoji (two UTF-16 units) is one mark
    ['商店 Jaya', '?? Jaya'],
    ['Tab\there', 'Tab?here'],
  ])('%j → %j', (typed, drawn) => {
    expect(drawableText(typed)).toBe(drawn);
  });
});
