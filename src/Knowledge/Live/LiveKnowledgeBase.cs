namespace Knowledge;

/// <summary>
/// Serves the latest good KnowledgeBase of a root folder: a change under the root (debounced) loads a fresh
/// base and swaps it in; a broken edit keeps the last good base and is reported through LastError and ReloadFailed.
/// </summary>
public sealed class LiveKnowledgeBase : IDisposable
{
    private readonly string _root;
    private readonly AnswerOptions? _options;
    private readonly TimeSpan _debounce;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private readonly Lock _reloadLock = new();
    private KnowledgeBase _current;

    /// <summary>Loads the root once (throws KnowledgeBaseException if that fails) and starts watching it.</summary>
    public LiveKnowledgeBase(string root, AnswerOptions? options = null, TimeSpan? debounce = null)
    {
        _root = Path.GetFullPath(root);
        _options = options;
        _debounce = debounce ?? TimeSpan.FromMilliseconds(40);
        _current = KnowledgeBase.Load(_root, options);
        _timer = new Timer(_ => Reload());
        _watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        // A burst of changes can overflow the watcher's buffer; reload then too, since some change was missed.
        _watcher.Error += (_, _) => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    public KnowledgeBase Current => Volatile.Read(ref _current);

    /// <summary>The error of the last reload, or null when the current base is the files' latest state.</summary>
    public KnowledgeBaseException? LastError { get; private set; }

    public event Action<KnowledgeBase>? Reloaded;
    public event Action<KnowledgeBaseException>? ReloadFailed;

    public Answer Ask(string question, int top = 0) => Current.Ask(question, top);

    /// <summary>Loads the root now; returns false (keeping the last good base) when the files are broken.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            try
            {
                var fresh = KnowledgeBase.Load(_root, _options);
                Volatile.Write(ref _current, fresh);
                LastError = null;
                Reloaded?.Invoke(fresh);
                return true;
            }
            catch (KnowledgeBaseException e)
            {
                LastError = e;
                ReloadFailed?.Invoke(e);
                return false;
            }
            catch (IOException e)
            {
                // A file still being written; the watcher reports its completion and we try again then.
                LastError = new KnowledgeBaseException([new KnowledgeBaseError(_root, 0, e.Message)]);
                return false;
            }
        }
    }

    private void OnChange(object sender, FileSystemEventArgs e) => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }
}
