import { containsCprNumber } from '../../domain/cpr';

describe('finding CPR numbers in free text', () => {
  it.each([
    ['with a dash', 'Borgeren (cpr 241285-2317) er flyttet i egen bolig'],
    ['without a dash', 'CPR: 2412852317'],
    ['alone', '010190-1234'],
    ['one that fails modulus 11, as numbers issued since 2007 may', '0101901234'],
    ['with an en dash', '010190–1234'],
    ['with a space after the word', 'Borgerens cpr-nr. 010190 1234 er rettet'],
    ['with a space after personnummer', 'Personnummer: 010190 1234'],
    ['with a slash', '010190/1234'],
    ['right after letters', 'cpr0101901234'],
    ['at the end of a sentence', 'Det drejer sig om 010190-1234.'],
    ['on a line of its own', 'Kontakt:\n311299-1234\nmvh'],
    ['born 29 February 2000, a leap year (serial 4xxx: the 2000s)', '290200-4123'],
    ['born 29 February 1996', '290296-1234'],
    ['born in the 1800s (serial 5xxx, year 58–99)', '311285-5123'],
  ])('finds one %s', (_what, text) => {
    expect(containsCprNumber(text)).toBe(true);
  });

  it.each([
    ['an amount with thousands separators', '1.234.567 kr.'],
    ['an amount in Danish notation', '23.000.000,50 kr.'],
    ['an amount in the API notation', '23000000.00'],
    ['ten digits with decimals after them', 'i alt 1501201234,50 kr.'],
    ['ten digits that are no date (month 34)', '1234567890'],
    ['a round amount (month 00)', '2500000000'],
    ['a phone number', 'Ring på 12345678'],
    ['a phone number in pairs', '+45 12 34 56 78'],
    ['a phone number with the country code', '+4512345678'],
    ['a case number of this system', 'Se SIF-2026-001 og SIF-2026-1234'],
    ['a journal number', 'j.nr. 27.00.00-A00-1-24'],
    ['a date with dashes', '01-01-2024'],
    ['an ISO date', '2024-01-01'],
    ['a date without separators', 'fra 010124 til 311224'],
    ['a period of two dates', '010124-311224'],
    ['two dates with a space between', 'fra 010124 311224'],
    ['a year and an amount', 'i 2025 150000 1250 kr.'],
    ['a date and a time', 'Mødet 150324 1400 i Rådhuset'],
    ['an amount and another', 'i alt 120500 1250 kr.'],
    ['a dotted date', '01.01.1990'],
    ['a CVR number', 'CVR 55133018'],
    ['an IBAN', 'DK5000400440116243'],
    ['an IBAN in groups', 'DK50 0040 0440 1162 43'],
    ['an EAN location number', '5798000416604'],
    ['eleven digits', '01019012345'],
    ['day 32', '320190-1234'],
    ['month 13', '011390-1234'],
    ['31 April', '310490-1234'],
    ['29 February 1900 (serial 0xxx: the 1900s)', '290200-0123'],
    ['29 February 2001', '290201-4123'],
  ])('finds none in %s', (_what, text) => {
    expect(containsCprNumber(text)).toBe(false);
  });
});
