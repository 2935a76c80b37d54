import { z } from 'zod';
import { issue } from './issues';

/**
 * How the fund names the organisations it deals with (a bidder, a provider, an
 * investor, the municipality itself) where others must recognise them: by the Danish
 * Central Business Register number (CVR-nummer) when it is known. `DK-CVR` is that
 * register's code in org-id.guide, the list OCDS takes identifier schemes from.
 */
export const cvrScheme = 'DK-CVR';

/** Eight digits, the first not 0 (CVR numbers run from 10000000). */
export const cvrNumber = z.string().regex(/^[1-9]\d{7}$/, issue('cvrNumber'));

/** The organisation's identifier in the register, as OCDS party ids and identifiers write it. */
export const cvrIdentifier = (cvr: string) => ({ scheme: cvrScheme, id: cvr });
export const cvrPartyId = (cvr: string) => `${cvrScheme}-${cvr}`;

/**
 * A name as part of an id when no register number is known: lower case, words joined
 * by dashes, and Danish letters kept (Ærø ApS → ærø-aps), so that two organisations
 * whose names differ only in æ, ø or å never share an id.
 */
export const nameSlug = (name: string) =>
  name
    .normalize('NFC')
    .toLocaleLowerCase('da')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/(^-|-$)/g, '');
