/**
 * How the PostgreSQL suites get a server (global-setup.ts): PICCO_PG_URL first, then a private
 * cluster, else a plain refusal to pretend, which CI (PICCO_REQUIRE_POSTGRES=1) turns into a failure.
 */
import { describe, expect, it } from 'vitest';
import { decideServer } from './global-setup.js';

describe('the PostgreSQL suites\' server', () => {
  it('is the one PICCO_PG_URL names, when set', () => {
    expect(decideServer({ PICCO_PG_URL: 'postgresql://ci@db/app', PICCO_PG_BINDIR: '/nowhere' })).toEqual({ kind: 'configured', url: 'postgresql://ci@db/app' });
  });

  it('is none, with a reason that says what to do, when no binaries can be found', () => {
    const decision = decideServer({ PICCO_PG_BINDIR: '/nonexistent-picco-bindir', PATH: '' });
    expect(decision.kind).toBe('none');
    expect(decision.kind === 'none' && decision.message).toMatch(/did not run: PICCO_PG_BINDIR=\/nonexistent-picco-bindir has no initdb.*PICCO_PG_URL/);
  });

  it('fails the run instead, under PICCO_REQUIRE_POSTGRES=1', () => {
    expect(() => decideServer({ PICCO_PG_BINDIR: '/nonexistent-picco-bindir', PICCO_REQUIRE_POSTGRES: '1' })).toThrow(/must run here/);
  });
});
