import {AlluxioCommand} from '../../cli/base-command.js';

export default class Pin extends AlluxioCommand {
  static summary = 'Pin a file or directory in the worker cache.';
  static description =
    'Keeps the data of the file, or of everything below the directory (also what is added or first read later), ' +
    'from being evicted from the worker cache. Media, when given, must be among ' +
    'alluxio.master.tieredstore.global.mediumtype (default MEM,SSD,HDD); the cache is one tier, so they are checked ' +
    'and recorded only.';
  static usageLine = 'fs pin <path> media1 media2 media3 ...';
  static usage = Pin.usageLine;
  static examples = ['alluxio fs pin /data/hot', 'alluxio fs pin /data/hot MEM'];
  static strict = false;
  static enableJsonFlag = true;

  async run(): Promise<{path: string; media: string[]} | {path: string; media: string[]}[]> {
    const {argv} = await this.parse(Pin);
    const args = argv as string[];
    this.checkArgs('pin', args, {atLeast: 1});
    const [pattern, ...media] = args;
    const results = await this.forEachPath([pattern], async (path) => {
      await (await this.fileSystem()).pin(path, media);
      this.log(`File '${path}' was successfully pinned.`);
      return {path, media};
    });
    return this.perPathJson([pattern], results);
  }
}
