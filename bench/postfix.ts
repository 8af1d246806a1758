// A private Postfix instance for the comparison: its own config directory, queue, data directory and log file under
// the benchmark work dir (`postfix -c DIR start`), listening on 127.0.0.1:<port>, trusting mynetworks = 127.0.0.0/8
// and relaying everything to [127.0.0.1]:<sink port>. Every other setting is Postfix's (Debian 3.7) default, except
// chroot, which is off because the chroot jail would need copies of /etc files inside the private queue directory.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostfixInstance {
  port: number;
  configDir: string;
  version: string;
  logFile: string;
  masterPid(): number | undefined;
  stop(): Promise<void>;
}

export async function postfixAvailable(): Promise<boolean> {
  return run('postconf', ['-h', 'mail_version']).then(
    () => true,
    () => false,
  );
}

export async function startPostfix(dir: string, port: number, sinkPort: number): Promise<PostfixInstance> {
  const etc = path.join(dir, 'etc');
  const queue = path.join(dir, 'queue');
  const data = path.join(dir, 'data');
  const logDir = path.join(dir, 'log');
  for (const d of [etc, queue, data, logDir]) fs.mkdirSync(d, { recursive: true });
  await run('chown', ['postfix', data]);
  const master = fs
    .readFileSync('/etc/postfix/master.cf', 'utf8')
    .split('\n')
    .map((line) => {
      if (!/^[a-z]/.test(line)) return line;
      const f = line.split(/\s+/);
      if (f.length < 8) return line;
      if (f[0] === 'smtp' && f[1] === 'inet') f[0] = `127.0.0.1:${port}`;
      f[4] = 'n'; // no chroot
      return f.join('  ');
    });
  fs.writeFileSync(path.join(etc, 'master.cf'), master.join('\n'));
  const logFile = path.join(logDir, 'maillog');
  fs.writeFileSync(
    path.join(etc, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${queue}`,
      `data_directory = ${data}`,
      'myhostname = postfix-bench.localhost',
      'mydestination =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.0/8',
      `relayhost = [127.0.0.1]:${sinkPort}`,
      'smtpd_relay_restrictions = permit_mynetworks reject_unauth_destination',
      'alias_maps =',
      'local_recipient_maps =',
      `maillog_file = ${logFile}`,
      `maillog_file_prefixes = ${logDir}`,
      'syslog_name = postfix-bench',
      'smtp_tls_security_level = may',
      'biff = no',
      '',
    ].join('\n'),
  );
  const version = (await run('postconf', ['-c', etc, '-h', 'mail_version'])).stdout.trim();
  await run('postfix', ['-c', etc, 'check']);
  await run('postfix', ['-c', etc, 'start']);
  let stopped = false;
  const pidFile = path.join(queue, 'pid', 'master.pid');
  return {
    port,
    configDir: etc,
    version,
    logFile,
    masterPid() {
      try {
        return Number(fs.readFileSync(pidFile, 'utf8').trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await run('postfix', ['-c', etc, 'stop']).catch(() => undefined);
      // `postfix stop` returns before master has exited; wait for its pid file to go (at most 10 s).
      for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
