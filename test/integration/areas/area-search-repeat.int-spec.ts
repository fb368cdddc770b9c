import { DataSource } from 'typeorm';
import { dataSourceOptions } from 'src/database/data-source';
import { AreaIndex } from 'src/areas/area-index';
import { AreasRepository } from 'src/areas/areas.repository';
import { normalizePlace } from 'src/areas/area-words';
import { createTestDatabase, TestDatabase } from '../../support/test-db';

/**
 * Districts the search put second when typed with their regency, "<district>, <regency>", before a word typed
 * twice counted twice (the query's words were de-duplicated): the district, its regency as the directory names
 * it, its code, and the district of the same regency that came first instead. Each is typed with the regency's
 * kind word and without it.
 */
const REPEATED: [district: string, regency: string, code: string, wasFirst: string][] = [
  ['Peureulak Timur', 'Kabupaten Aceh Timur', '11.03.17', 'Peureulak'],
  ['Woyla Barat', 'Kabupaten Aceh Barat', '11.05.10', 'Woyla'],
  ['Mandrehe', 'Kabupaten Nias Barat', '12.25.05', 'Mandrehe Barat'],
  ['Kepenuhan Hulu', 'Kabupaten Rokan Hulu', '14.06.15', 'Kepenuhan'],
  ['Singingi Hilir', 'Kabupaten Kuantan Singingi', '14.09.08', 'Kuantan Hilir'],
  ['Buay Madang Timur', 'Kabupaten Ogan Komering Ulu Timur', '16.08.12', 'Buay Madang'],
  ['Abab', 'Kabupaten Penukal Abab Lematang Ilir', '16.12.04', 'Penukal'],
  ['Kotabumi Utara', 'Kabupaten Lampung Utara', '18.03.09', 'Kotabumi'],
  ['Praya Tengah', 'Kabupaten Lombok Tengah', '52.02.10', 'Praya'],
  ['Sakra Timur', 'Kabupaten Lombok Timur', '52.03.18', 'Sakra'],
  ['Amanuban Selatan', 'Kabupaten Timor Tengah Selatan', '53.02.06', 'Amanuban Tengah'],
  ['Mollo Tengah', 'Kabupaten Timor Tengah Selatan', '53.02.30', 'Mollo Selatan'],
  ['Insana Utara', 'Kabupaten Timor Tengah Utara', '53.03.09', 'Insana'],
  ['Bikomi Utara', 'Kabupaten Timor Tengah Utara', '53.03.17', 'Bikomi Tengah'],
  ['Insana Tengah', 'Kabupaten Timor Tengah Utara', '53.03.21', 'Insana'],
  ['Adonara', 'Kabupaten Flores Timur', '53.06.17', 'Adonara Timur'],
  ['Kuwus Barat', 'Kabupaten Manggarai Barat', '53.15.12', 'Kuwus'],
  ['Umbu Ratu Nggay Tengah', 'Kabupaten Sumba Tengah', '53.17.06', 'Umbu Ratu Nggay'],
  ['Lamba Leda Timur', 'Kabupaten Manggarai Timur', '53.19.08', 'Lamba Leda'],
  ['Biaro', 'Kabupaten Kepulauan Siau Tagulandang Biaro', '71.09.07', 'Tagulandang'],
  ['Moutong', 'Kabupaten Parigi Moutong', '72.08.04', 'Parigi'],
  ['Tojo', 'Kabupaten Tojo Una Una', '72.09.08', 'Una Una'],
  ['Tomoni Timur', 'Kabupaten Luwu Timur', '73.24.09', 'Tomoni'],
  ['Palangga Selatan', 'Kabupaten Konawe Selatan', '74.05.14', 'Palangga'],
  ['Pakue Utara', 'Kabupaten Kolaka Utara', '74.08.11', 'Pakue'],
  ['Kulisusu Utara', 'Kabupaten Buton Utara', '74.10.05', 'Kulisusu'],
  ['Mawasangka', 'Kabupaten Buton Tengah', '74.14.04', 'Mawasangka Tengah'],
  ['Kabila Bone', 'Kabupaten Bone Bolango', '75.03.08', 'Kabila'],
  ['Kairatu Barat', 'Kabupaten Seram Bagian Barat', '81.06.07', 'Kairatu'],
  ['Weda Tengah', 'Kabupaten Halmahera Tengah', '82.02.07', 'Weda'],
  ['Tobelo Utara', 'Kabupaten Halmahera Utara', '82.03.10', 'Tobelo'],
  ['Galela Utara', 'Kabupaten Halmahera Utara', '82.03.15', 'Galela'],
  ['Kao Utara', 'Kabupaten Halmahera Utara', '82.03.20', 'Kao'],
  ['Obi', 'Kabupaten Halmahera Selatan', '82.04.06', 'Obi Selatan'],
  ['Kayoa Selatan', 'Kabupaten Halmahera Selatan', '82.04.12', 'Kayoa'],
  ['Bacan Selatan', 'Kabupaten Halmahera Selatan', '82.04.17', 'Bacan'],
  ['Bacan Timur Selatan', 'Kabupaten Halmahera Selatan', '82.04.21', 'Bacan Timur'],
  ['Gane Barat Selatan', 'Kabupaten Halmahera Selatan', '82.04.23', 'Gane Barat'],
  ['Gane Timur Selatan', 'Kabupaten Halmahera Selatan', '82.04.26', 'Gane Timur'],
  ['Wasile Timur', 'Kabupaten Halmahera Timur', '82.06.07', 'Wasile'],
  ['Numfor Timur', 'Kabupaten Biak Numfor', '91.06.05', 'Biak Timur'],
  ['Biak Barat', 'Kabupaten Biak Numfor', '91.06.08', 'Numfor Barat'],
];

describe('a district typed with its regency, "<district>, <regency>"', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let index: AreaIndex;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 2));
    await ds.initialize();
    const repository = new AreasRepository(ds);
    index = new AreaIndex(await repository.directory(), await repository.villages());
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it.each(REPEATED)('"%s, %s" finds %s first, not %s', (district, regency, code) => {
    expect(index.search(`${district}, ${regency}`, 1)[0]?.code).toBe(code);
    expect(index.search(`${district}, ${bareName(regency)}`, 1)[0]?.code).toBe(code);
  });

  it('keeps a kind word typed once in a district named so when the regency is not typed besides it', () => {
    expect(index.search('sorong kota', 1)[0]?.code).toBe('96.71.07');
    expect(index.search('Sorong Kota, Kota Sorong', 1)[0]?.code).toBe('96.71.07');
    expect(index.search('Sorong, Kota Sorong', 1)[0]?.code).toBe('96.71.01');
    expect(index.search('kota baru jambi', 1)[0]?.code).toBe('15.71.07');
  });

  it('finds every one of the 7,277 first, with the regency as the directory names it and without its kind word', () => {
    const wrong: string[] = [];
    let typed = 0;
    for (const d of index.all()) {
      for (const regency of [d.regency.name, bareName(d.regency.name)]) {
        const q = `${d.name}, ${regency}`;
        typed += 1;
        const [top] = index.search(q, 1);
        // The search reads the words, not their order or commas: "Sorong, Sorong" is typed alike for Sorong
        // in Kota Sorong and in Kabupaten Sorong, "Sorong Kota, Sorong" for Sorong in Kota Sorong ("Sorong,
        // Kota Sorong") and Sorong Kota. Either is right.
        const alike =
          top &&
          [top.regency.name, bareName(top.regency.name)].some(
            (r) => wordBag(`${top.name} ${r}`) === wordBag(q),
          );
        if (top?.code !== d.code && !alike)
          wrong.push(
            `${q} (${d.code}) → ${top ? `${top.name}, ${top.regency.name} (${top.code})` : 'nothing'}`,
          );
      }
    }
    expect(typed).toBe(2 * 7277);
    expect(wrong).toEqual([]);
  });
});

/** A regency's name without its kind ("Kabupaten Lombok Tengah" → "Lombok Tengah"). */
function bareName(regency: string): string {
  return regency.replace(/^(Kabupaten|Kota)( Administrasi)? /, '');
}

/** A text's words in any order, each as often as written. */
function wordBag(text: string): string {
  return normalizePlace(text).split(' ').sort().join(' ');
}
