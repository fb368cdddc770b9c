import { toTrackingEvent } from 'src/couriers/adapters/ninja/ninja.mapper';
import { proofOfDelivery } from 'src/couriers/proof-of-delivery';

describe('proofOfDelivery', () => {
  it('keeps names as one bounded line and links only as absolute http(s) URLs', () => {
    expect(
      proofOfDelivery('delivered', {
        receiver: '  Budi\n  Santoso\u202e ',
        relation: 'Keluarga',
        photos: [
          'https://cdn.example.id/pod/1.jpg',
          'javascript:alert(1)',
          '/relative.jpg',
          { url: 'http://x.id/2' },
        ],
        signatures: 'https://cdn.example.id/sig.png',
      }),
    ).toEqual({
      receiver: 'Budi Santoso',
      relation: 'Keluarga',
      photoUrls: ['https://cdn.example.id/pod/1.jpg', 'http://x.id/2'],
      signatureUrls: ['https://cdn.example.id/sig.png'],
    });
    expect(proofOfDelivery('delivered', { receiver: 'x'.repeat(300) })?.receiver).toHaveLength(100);
    const many = Array.from({ length: 9 }, (_, i) => `https://cdn.example.id/${i}.jpg`);
    expect(proofOfDelivery('delivered', { photos: [...many, many[0]] })?.photoUrls).toEqual(many.slice(0, 5));
  });

  it('is nothing when the line holds no proof', () => {
    for (const fields of [
      {},
      { receiver: '', relation: '  ', photos: [], signatures: null },
      { photos: 'ftp://x/y' },
    ])
      expect(proofOfDelivery('delivered', fields)).toBeUndefined();
    expect(proofOfDelivery('delivered', { receiver: { name: 'x' } })).toBeUndefined();
    // Only a delivery, or a return's receipt, carries one.
    expect(proofOfDelivery('in_transit', { receiver: 'Sari' })).toBeUndefined();
    expect(proofOfDelivery('returned', { receiver: 'Sari' })).toEqual({ receiver: 'Sari' });
  });

  it('reads Ninja’s v2 proof without keeping the receiver’s phone', () => {
    const e = toTrackingEvent({
      tracking_id: 'NVIDKRM12345670042',
      timestamp: '2025-03-10T14:05:00+07:00',
      event: 'Delivered, Received by Customer',
      delivery_information: {
        state: 'Delivered',
        proof: {
          signature_uri: 'https://ninja.example/sig.png',
          image_uris: ['https://ninja.example/pod.jpg'],
          signed_by: { name: 'Sari', contact: '081298765432', relationship: 'Tetangga' },
        },
      },
    });
    expect(e.pod).toEqual({
      receiver: 'Sari',
      relation: 'Tetangga',
      photoUrls: ['https://ninja.example/pod.jpg'],
      signatureUrls: ['https://ninja.example/sig.png'],
    });
    expect(JSON.stringify(e.pod)).not.toContain('0812');
  });
});
