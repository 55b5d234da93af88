package dev.example.readme;

import dev.taskloop.core.*;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

class TaskGroupSnippet {

    record Page(String url) {}

    EventLoop loop = EventLoop.create();

    Page fetch(String url) {
        return new Page(url);
    }

    // readme:snippet tour-task-group
    List<Page> fetchAll(List<String> urls) {                // runs inside a task
        TaskGroup g = TaskGroup.create("fetch-all");
        List<Task<Page>> fetches = new ArrayList<>();      // g.tasks() lists only live children: keep the Task handles
        g.run(() -> {
            for (String url : urls) {
                fetches.add(g.spawn(url, () -> fetch(url)));
            }
        });   // every child has ended here; if one failed, the others were cancelled
              // and a TaskGroupException carries every failure
        return fetches.stream().map(Task::result).toList(); // all succeeded
    }

    @GetMapping("/pages")
    List<Page> pages(@RequestParam List<String> urls) {     // a request thread, not a task
        return loop.spawn("fetch-all", () -> fetchAll(urls)).join();
    }
    // readme:end
}
