import { describe, expect, it } from 'vitest';
import { withoutPassword } from './url-password.js';

describe('withoutPassword', () => {
  it('masks the password and keeps user, host, port and path', () => {
    expect(withoutPassword('postgres://u:pw@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(withoutPassword('redis://:secret@cache:6379')).toBe('redis://:***@cache:6379');
  });

  it('leaves a URL without a password as it was given', () => {
    expect(withoutPassword('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
    expect(withoutPassword('http://chroma:8000')).toBe('http://chroma:8000');
  });

  it('masks every server of a comma-separated list', () => {
    expect(withoutPassword('nats://a:pa@n1:4222, nats://b:pb@n2:4222')).toBe('nats://a:***@n1:4222,nats://b:***@n2:4222');
  });

  it('masks credentials in text that is not a URL', () => {
    expect(withoutPassword('//user:pw@host:bad port')).toBe('//***@host:bad port');
  });
});
